/** Shared test fixtures: manifests and hash-valid entries. */
import { type AppendEntry, buildAppendEntry, type IndexKey, newManifest, type RunManifest } from '@tapelog/core';

export const INSTANCE = 'trader-001';

export function manifestFor(runId: string, startTsInit = 1_700_000_000n): RunManifest {
  return newManifest({ runId, instanceId: INSTANCE, startTsInit });
}

/** A hash-valid entry at `seq` with a payload of `payloadLength` bytes. */
export function appendEntry(seq: number, options: { tsInit?: bigint; payloadLength?: number; indexKeys?: IndexKey[] } = {}): AppendEntry {
  const payload = new Uint8Array(options.payloadLength ?? 16);
  for (let i = 0; i < payload.length; i++) payload[i] = (seq * 7 + i) & 0xff;
  return buildAppendEntry(
    {
      headers: {},
      topic: 'events.order',
      payloadType: 'OrderFilled',
      payload,
      tsInit: options.tsInit ?? 1_700_000_000_000_000_000n + BigInt(seq),
      indexKeys: options.indexKeys ?? [],
    },
    seq,
    1_700_000_000_000_000_001n + BigInt(seq),
  );
}

/** Entries `from..to` inclusive. */
export function appendEntries(from: number, to: number, options: { payloadLength?: number } = {}): AppendEntry[] {
  const entries: AppendEntry[] = [];
  for (let seq = from; seq <= to; seq++) entries.push(appendEntry(seq, options));
  return entries;
}

/** Resolves to the rejection of `promise`, failing the test when it resolves instead. */
export async function rejectionOf(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected the operation to fail, but it succeeded');
}
