/**
 * The rules every backend applies the same way: batch contiguity before anything lands, and
 * the read-path walk that turns stored rows into validated entries (gap, decode, hash checks).
 */
import { decodeCheckedEntry } from './codec/entry-codec.js';
import { gapError, outOfOrderError } from './errors.js';
import type { AppendEntry, EventStoreEntry, ScanDirection } from './types.js';

/** Throws OUT_OF_ORDER (naming the unchanged durable hwm) unless entry i has seq hwm + 1 + i. */
export function assertContiguousBatch(entries: readonly AppendEntry[], highWatermark: number): void {
  for (let i = 0; i < entries.length; i++) {
    const seq = entries[i]!.entry.seq;
    if (seq !== highWatermark + 1 + i) throw outOfOrderError(highWatermark, seq);
  }
}

/** The maximum tsInit of a batch, starting from `current`. */
export function maxTsInitOf(entries: readonly AppendEntry[], current: bigint): bigint {
  let max = current;
  for (const { entry } of entries) if (entry.tsInit > max) max = entry.tsInit;
  return max;
}

/** Clips a scan to `[lo, hi]` within the hwm; undefined when nothing can be returned. */
export function clipScanRange(from: number, to: number, highWatermark: number): { lo: number; hi: number } | undefined {
  if (from === 0 || from > to) return undefined;
  const hi = Math.min(to, highWatermark);
  if (from > hi) return undefined;
  return { lo: from, hi };
}

/**
 * Validates stored rows of `[lo, hi]` given in ascending key order: the first missing seq is a
 * GAP, an undecodable row CORRUPTED, a wrong hash HASH_MISMATCH. Returns entries in `direction`.
 */
export function validateStoredRange(
  lo: number,
  hi: number,
  rows: Iterable<readonly [seq: number, bytes: Uint8Array]>,
  direction: ScanDirection = 'forward',
): EventStoreEntry[] {
  const entries: EventStoreEntry[] = [];
  let expected = lo;
  for (const [seq, bytes] of rows) {
    if (seq > hi) break;
    if (seq !== expected) throw gapError(expected - 1, seq, expected);
    entries.push(decodeCheckedEntry(bytes, seq));
    expected = seq + 1;
  }
  if (expected <= hi) throw gapError(expected - 1, hi + 1, expected);
  if (direction === 'reverse') entries.reverse();
  return entries;
}

/** A point read inside the hwm whose row is missing. */
export function missingRowError(seq: number): Error {
  return gapError(seq - 1, seq + 1, seq);
}
