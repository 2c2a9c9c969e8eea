/** Manifests, entries and assertion helpers shared by the conformance areas. */
import {
  type AppendEntry,
  buildAppendEntry,
  type EventStore,
  type Headers,
  type IndexKey,
  newManifest,
  type RunManifest,
  TapelogError,
  type TapelogErrorCode,
} from '@tapelog/core';
import type { ExpectFunction } from './harness.js';

export const INSTANCE = 'trader-001';
export const PAYLOAD = new Uint8Array([1, 2, 3, 4]);
export const CORRELATION = '01020304-0506-4708-890a-0b0c0d0e0f10';
export const CAUSATION = '11121314-1516-4718-991a-1b1c1d1e1f20';

export function manifest(runId: string, startTsInit = 0n, instanceId = INSTANCE): RunManifest {
  return newManifest({
    runId,
    instanceId,
    startTsInit,
    binaryHash: 'deadbeef',
    schemaVersion: 1,
    packageVersions: 'feedface',
    configHash: 'cafebabe',
  });
}

export interface EntryOptions {
  keys?: IndexKey[];
  headers?: Headers;
  payload?: Uint8Array;
  topic?: string;
  payloadType?: string;
}

/** A correctly hashed entry at `seq` with tsInit `ts` and tsPublish `ts + 1`. */
export function entry(seq: number, ts: bigint | number = BigInt(seq) * 10n, options: EntryOptions = {}): AppendEntry {
  const tsInit = BigInt(ts);
  return buildAppendEntry(
    {
      headers: options.headers ?? {},
      topic: options.topic ?? 'exec.command.SubmitOrder',
      payloadType: options.payloadType ?? 'SubmitOrder',
      payload: options.payload ?? PAYLOAD,
      tsInit,
      indexKeys: options.keys ?? [],
    },
    seq,
    tsInit + 1n,
  );
}

/** Entries `from..to` with the default fixture. */
export function entries(from: number, to: number): AppendEntry[] {
  const out: AppendEntry[] = [];
  for (let seq = from; seq <= to; seq++) out.push(entry(seq));
  return out;
}

export function clientOrderId(key: string): IndexKey {
  return { kind: 'client_order_id', key };
}

/** Index pairs by key, for comparing listings whose order a backend chooses. */
export function sortPairs(pairs: ReadonlyArray<[string, number]>): Array<[string, number]> {
  return [...pairs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

export function venueOrderId(key: string): IndexKey {
  return { kind: 'venue_order_id', key };
}

/**
 * Awaits `action` and asserts it fails with a TapelogError of `code` whose message names each
 * of `names` (the run id, the location): codes are matched, message wording never is.
 */
export async function expectTapelogError(
  expect: ExpectFunction,
  action: Promise<unknown> | (() => Promise<unknown>),
  code: TapelogErrorCode,
  ...names: string[]
): Promise<TapelogError> {
  let caught: unknown;
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a TapelogError ${code}, but nothing was thrown`).toBeDefined();
  expect(TapelogError.isInstance(caught), `expected a TapelogError ${code}, got ${String(caught)}`).toBe(true);
  const error = caught as TapelogError;
  expect(error.code, `expected code ${code}, got ${error.code}: ${error.message}`).toBe(code);
  for (const name of names) expect(error.message, `the ${code} message must name ${name}`).toContain(name);
  return error;
}

/** Appends `1..count` with tsInit values `ts[i]` (default seq × 10). */
export async function appendRange(store: EventStore, count: number, ts?: Array<bigint | number>): Promise<number> {
  const batch: AppendEntry[] = [];
  for (let seq = 1; seq <= count; seq++) batch.push(entry(seq, ts?.[seq - 1] ?? BigInt(seq) * 10n));
  return store.appendBatch(batch);
}

/** Opens the new run `runManifest` and appends `1..count` to it (see appendRange). */
export async function runWithEntries(
  provider: { openRun(manifest: RunManifest): Promise<EventStore> },
  runManifest: RunManifest,
  count: number,
  ts?: Array<bigint | number>,
): Promise<EventStore> {
  const store = await provider.openRun(runManifest);
  await appendRange(store, count, ts);
  return store;
}

/** The seqs of a scan result. */
export function seqs(list: ReadonlyArray<{ seq: number }>): number[] {
  return list.map((item) => item.seq);
}
