/**
 * Hash-only reads for the walks of verify and recovery: a range's stored entry hashes through
 * `scanEntryHashes` where the store offers it (records checked on other cores), else through
 * `scanRange`, with the same errors either way.
 */
import { type EntryHashRange, type EventStore, gapError } from '@tapelog/core';

/**
 * The checked hashes of `lo..hi` (clipped to the hwm). Through `scanRange`, rows must carry
 * exactly the seqs asked for: backends validate contiguity themselves, and this guards
 * third-party stores whose rows would otherwise be trusted blindly (GAP otherwise).
 */
export async function readEntryHashes(store: EventStore, lo: number, hi: number): Promise<EntryHashRange> {
  if (store.scanEntryHashes !== undefined) return store.scanEntryHashes(lo, hi);
  const entries = await store.scanRange(lo, hi, 'forward');
  const hashes = new Uint8Array(entries.length * 32);
  let minTsInit: bigint | undefined;
  let maxTsInit: bigint | undefined;
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]!;
    if (entry.seq !== lo + index) throw gapError(lo + index - 1, entry.seq, lo + index);
    hashes.set(entry.entryHash, index * 32);
    if (minTsInit === undefined || entry.tsInit < minTsInit) minTsInit = entry.tsInit;
    if (maxTsInit === undefined || entry.tsInit > maxTsInit) maxTsInit = entry.tsInit;
  }
  return { from: lo, to: lo + entries.length - 1, hashes, minTsInit, maxTsInit };
}

/**
 * Reads `1..highWatermark` in chunks of `chunkSize`, keeping `ahead` reads in flight, and hands
 * each range to `onRange` in seq order. The first failing read (or a throw from `onRange`)
 * rejects, once the reads still in flight have settled.
 */
export async function walkEntryHashes(
  store: EventStore,
  highWatermark: number,
  chunkSize: number,
  ahead: number,
  onRange: (range: EntryHashRange, lo: number, hi: number) => void,
): Promise<void> {
  const inFlight: Array<Promise<EntryHashRange>> = [];
  let next = 1;
  const requestMore = (): void => {
    while (inFlight.length < ahead && next <= highWatermark) {
      const lo = next;
      const hi = Math.min(lo + chunkSize - 1, highWatermark);
      const read = readEntryHashes(store, lo, hi);
      read.catch(() => {});
      inFlight.push(read);
      next = hi + 1;
    }
  };
  requestMore();
  for (let lo = 1; lo <= highWatermark; lo += chunkSize) {
    const hi = Math.min(lo + chunkSize - 1, highWatermark);
    try {
      const range = await inFlight.shift()!;
      requestMore();
      onRange(range, lo, hi);
    } catch (error) {
      await Promise.allSettled(inFlight);
      throw error;
    }
  }
}
