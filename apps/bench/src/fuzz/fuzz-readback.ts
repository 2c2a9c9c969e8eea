/**
 * What a copy of the fuzz run really reads back, one digest per kind of read: the manifest, the
 * entries by range scan, each entry by point read, the index rows of every kind, a lookup of
 * every key the original run holds, the snapshot anchor and the marker sidecar. A read that
 * fails gives its error code instead of a digest, so any difference from the original shows.
 */
import { blake3, type EventStore, TapelogError, toHex } from '@tapelog/core';
import { LevelMarkerBackend } from '@tapelog/markers-level';
import { type FuzzBackendName, fuzzBackend } from './fuzz-backend.js';
import { FUZZ_INSTANCE, FUZZ_RUN_ID, fuzzRunPaths } from './fuzz-run.js';

export const READ_KINDS = ['manifest', 'entries', 'perSeqReads', 'indexRows', 'lookups', 'anchor', 'markers'] as const;
export type ReadKind = (typeof READ_KINDS)[number];
export type Readback = Record<ReadKind, string>;

function digest(value: unknown): string {
  const text = JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `${item}n` : item instanceof Uint8Array ? toHex(item) : item));
  return toHex(blake3(new TextEncoder().encode(text ?? 'undefined'))).slice(0, 16);
}

async function attempt(read: () => Promise<unknown>): Promise<string> {
  try {
    return digest(await read());
  } catch (error) {
    return `error:${TapelogError.isInstance(error) ? error.code : error instanceof Error ? error.name : 'unknown'}`;
  }
}

async function readStore(store: EventStore, lookupKeys: ReadonlyArray<[kind: string, key: string]>): Promise<Omit<Readback, 'markers' | 'manifest'>> {
  const highWatermark = await store.highWatermark();
  return {
    entries: await attempt(async () => [highWatermark, await store.scanRange(1, highWatermark)]),
    perSeqReads: await attempt(async () => {
      const read = [];
      for (let seq = 1; seq <= highWatermark; seq++) read.push(await store.scanSeq(seq));
      return read;
    }),
    indexRows: await attempt(async () => {
      const kinds = (await store.indexKinds()).sort();
      const rows = [];
      for (const kind of kinds) rows.push([kind, (await store.iterIndexKeys(kind)).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))]);
      return rows;
    }),
    lookups: await attempt(async () => {
      const seqs = [];
      for (const [kind, key] of lookupKeys) seqs.push(await store.lookup(kind, key));
      return seqs;
    }),
    anchor: await attempt(() => store.latestSnapshotAnchor()),
  };
}

async function readMarkers(path: string): Promise<unknown> {
  const backend = await LevelMarkerBackend.openReadOnly(path);
  try {
    return [await backend.manifest(), await backend.scanSnapshots(), await backend.scanHiFi(), await backend.scanGaps(), await backend.scanDict()];
  } finally {
    await backend.close();
  }
}

/** Every index key of the original run, for the lookups of its copies. */
export async function indexKeysOf(baseDir: string, backend: FuzzBackendName): Promise<Array<[string, string]>> {
  const store = await fuzzBackend(backend).provider(baseDir).openSealed(FUZZ_INSTANCE, FUZZ_RUN_ID);
  try {
    const keys: Array<[string, string]> = [];
    for (const kind of (await store.indexKinds()).sort()) for (const [key] of await store.iterIndexKeys(kind)) keys.push([kind, key]);
    return keys;
  } finally {
    await store.close();
  }
}

/** Reads the fuzz run under `baseDir` back. Every failure is recorded, never thrown. */
export async function readBack(baseDir: string, lookupKeys: ReadonlyArray<[string, string]>, backend: FuzzBackendName): Promise<Readback> {
  const markers = await attempt(() => readMarkers(fuzzRunPaths(baseDir, backend).markers));
  let store: EventStore;
  try {
    store = await fuzzBackend(backend).provider(baseDir).openSealed(FUZZ_INSTANCE, FUZZ_RUN_ID);
  } catch (error) {
    const failed = await attempt(() => Promise.reject(error));
    return { manifest: failed, entries: failed, perSeqReads: failed, indexRows: failed, lookups: failed, anchor: failed, markers };
  }
  try {
    const manifest = await attempt(() => store.manifest());
    return { manifest, ...(await readStore(store, lookupKeys)), markers };
  } finally {
    await store.close().catch(() => undefined);
  }
}
