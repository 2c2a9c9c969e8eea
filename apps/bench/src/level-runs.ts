/**
 * Builds LevelDB runs for the recovery and verify scenarios: `count` hashed entries appended
 * 1,000 per batch, sealed with the chain head, or left Running to stand for a crashed kernel.
 */
import { type AppendEntry, buildAppendEntry, ChainHasher, computeRunIntegrity, type EventStoreProvider, newManifest } from '@tapelog/core';

const BATCH = 1000;

export interface LevelRunOptions {
  instanceId: string;
  runId: string;
  startTsInit: bigint;
  count: number;
  /** Close without sealing: the run stays Running on disk, as after a crash. */
  crash: boolean;
  payloadBytes: number;
  /** The topic of each seq; `events.order.O-1` for every entry when absent. */
  topicOf?: (seq: number) => string;
}

/** Entries on topic `events.order.O-1` (or `topicOf(seq)`), a client order id index key on every tenth. */
export async function buildLevelRun(provider: EventStoreProvider, options: LevelRunOptions): Promise<void> {
  const { instanceId, runId, startTsInit, count, crash, payloadBytes } = options;
  const topicOf = options.topicOf ?? (() => 'events.order.O-1');
  const store = await provider.openRun(newManifest({ runId, instanceId, startTsInit }));
  const chain = new ChainHasher();
  const payload = new Uint8Array(payloadBytes);
  for (let from = 1; from <= count; from += BATCH) {
    const batch: AppendEntry[] = [];
    for (let seq = from; seq < from + BATCH && seq <= count; seq++) {
      payload[0] = seq & 0xff;
      const indexKeys = seq % 10 === 0 ? [{ kind: 'client_order_id', key: `O-${seq}` }] : [];
      const tsInit = startTsInit + BigInt(seq);
      const appended = buildAppendEntry(
        { headers: {}, topic: topicOf(seq), payloadType: 'OrderFilled', payload: payload.slice(), tsInit, indexKeys },
        seq,
        tsInit + 1n,
      );
      chain.update(appended.entry.entryHash);
      batch.push(appended);
    }
    await store.appendBatch(batch);
  }
  if (!crash) await store.seal('Ended', chain.headHex, await computeRunIntegrity(store));
  await store.close();
}
