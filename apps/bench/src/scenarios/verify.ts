/**
 * Verify rate and recovery-sweep time on a LevelDB run: the checks operators run after something
 * went wrong. Default run size 200,000 entries; `--full` uses the 1,000,000 the issue targets.
 */
import { join } from 'node:path';
import { createProvider } from '@tapelog/backend-level';
import { ChainHasher, buildAppendEntry, newManifest, type AppendEntry, type EventStoreProvider } from '@tapelog/core';
import { Verifier, recoverPredecessors } from '@tapelog/recovery';
import type { Scenario } from '../scenario.js';
import { median, perSecond, timeNs } from '../stats.js';

const INSTANCE = 'bench-verify';
const PAYLOAD_BYTES = 128;
const BATCH = 1000;

/** Writes `count` entries (128-byte payloads, one client order id per 10 entries); seals Ended unless `crash`. */
async function buildRun(provider: EventStoreProvider, runId: string, startTsInit: bigint, count: number, crash: boolean): Promise<void> {
  const store = await provider.openRun(newManifest({ runId, instanceId: INSTANCE, startTsInit }));
  const chain = new ChainHasher();
  const payload = new Uint8Array(PAYLOAD_BYTES);
  for (let from = 1; from <= count; from += BATCH) {
    const batch: AppendEntry[] = [];
    for (let seq = from; seq < from + BATCH && seq <= count; seq++) {
      payload[0] = seq & 0xff;
      const indexKeys = seq % 10 === 0 ? [{ kind: 'client_order_id', key: `O-${seq}` }] : [];
      const tsInit = startTsInit + BigInt(seq);
      const appended = buildAppendEntry({ headers: {}, topic: 'events.order.O-1', payloadType: 'OrderFilled', payload: payload.slice(), tsInit, indexKeys }, seq, tsInit + 1n);
      chain.update(appended.entry.entryHash);
      batch.push(appended);
    }
    await store.appendBatch(batch);
  }
  // A crash is modelled as closing without sealing: the run stays Running on disk.
  if (!crash) await store.seal('Ended', chain.headHex);
  await store.close();
}

export const scenario: Scenario = {
  name: 'verify',
  description: 'Verifier rate and recovery sweep time on a LevelDB run',
  async run({ full, scratchDir }) {
    const count = full ? 1_000_000 : 200_000;
    const repetitions = full ? 3 : 3;
    const provider = createProvider({ baseDir: join(scratchDir, 'runs') }, { warn: () => {} });
    await buildRun(provider, '1000-sealed00', 1000n, count, false);

    const rates: number[] = [];
    for (let repetition = 0; repetition < repetitions; repetition++) {
      let findings = -1;
      const ns = await timeNs(async () => {
        const verifier = await Verifier.openSealed(provider, INSTANCE, '1000-sealed00');
        findings = (await verifier.verify()).findings.length;
        await verifier.close();
      });
      if (findings !== 0) throw new Error(`the benchmark run should verify clean, found ${findings} findings`);
      rates.push(perSecond(count, ns));
    }

    await buildRun(provider, '2000-crashed0', 2000n, count, true);
    let recovered = '';
    const sweepNs = await timeNs(async () => {
      const outcome = await recoverPredecessors(provider, INSTANCE);
      recovered = outcome.recovered.map((run) => `${run.runId}:${run.status}:${run.highWatermark}`).join(',');
    });
    if (recovered !== `2000-crashed0:CrashedRecovered:${count}`) throw new Error(`unexpected sweep outcome ${recovered}`);

    const note = `LevelDB run of ${count.toLocaleString('en-US')} entries, ${PAYLOAD_BYTES}-byte payloads${full ? '' : ' (1,000,000 with --full)'}`;
    return {
      figures: [
        { name: 'verify rate (median)', value: median(rates), unit: 'entries/s', target: { value: 500_000, kind: 'min', source: 'recovery/cli issue' }, note },
        { name: 'recovery sweep of the crashed run', value: sweepNs / 1e6, unit: 'ms', note: `${note}; close without seal` },
      ],
      details: { rates, sweepMs: sweepNs / 1e6, count, repetitions },
    };
  },
};
