/**
 * What the memory backend keeps for one run: the same encoded bytes a persistent backend would
 * store, so decoding, hash checks and tamper tests behave exactly as they do on disk.
 */
import { STORE_FORMAT_VERSION } from '@tapelog/core';

export interface MemoryRunRecord {
  formatMarker: number | undefined;
  manifest: Uint8Array | undefined;
  entries: Map<number, Uint8Array>;
  indices: Map<string, Map<string, number>>;
  anchor: Uint8Array | undefined;
  /** The index ledger stored at seal (a copy of the index rows as sealed). */
  indexLedger: Uint8Array | undefined;
  /** True while a store holds this run open: opens are exclusive, as on disk. */
  open: boolean;
}

export function newRunRecord(manifest: Uint8Array): MemoryRunRecord {
  return {
    formatMarker: STORE_FORMAT_VERSION,
    manifest,
    entries: new Map(),
    indices: new Map(),
    anchor: undefined,
    indexLedger: undefined,
    open: false,
  };
}

/** The largest stored seq: the hwm of a reopened run, whatever lies below it. */
export function largestSeq(record: MemoryRunRecord): number {
  let largest = 0;
  for (const seq of record.entries.keys()) if (seq > largest) largest = seq;
  return largest;
}
