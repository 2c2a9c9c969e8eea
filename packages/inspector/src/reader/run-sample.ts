/**
 * A coarse picture of a whole run from a few thousand entries read at evenly spaced seqs, built in
 * a fraction of a second before the full summary: the first visit to a large run draws the whole
 * run's timeline from it at once (marked as estimated) instead of waiting for every entry to be read.
 */
import type { EventStore, EventStoreEntry } from '@tapelog/core';
import { LANES, laneOfTopic } from '../topic-lanes.js';

/** How many evenly spaced places of the run are read… */
export const SAMPLE_STRATA = 128;
/** …and how many consecutive entries at each (their lanes stand for the lane mix of that stretch). */
export const SAMPLE_STRETCH = 8;
/** Reads in flight at once (LevelDB serves them from its thread pool). */
const SAMPLE_CONCURRENCY = 8;

export interface SampledEntry {
  seq: number;
  /** tsInit - the run's first tsInit, in ns. */
  offset: number;
  lane: number;
  topic: string;
  payloadType: string;
}

/**
 * The run cut into strata of consecutive seqs: stratum k holds seqs `firstSeqs[k]` up to the next
 * stratum's first seq (the last one up to `entries`), and is estimated to spread its entries evenly
 * between `startOffsets[k]` and `startOffsets[k + 1]` (the last one closes at the run's last entry)
 * in the lane mix of the entries read at its start.
 */
export interface RunSample {
  entries: number;
  /** tsInit of seq 1, ns since the epoch. */
  originNs: bigint;
  firstSeqs: number[];
  /** One more than the strata: the last is the offset of the run's last entry. */
  startOffsets: number[];
  /** Per stratum, per lane: how many of the entries read at its start are in that lane. */
  laneCounts: number[][];
  /** Every entry read, by seq (the run's first and last entry, and `extraSeqs`, among them). */
  read: Map<number, SampledEntry>;
}

/**
 * Reads `SAMPLE_STRATA` stretches of `SAMPLE_STRETCH` entries spread evenly over seqs
 * 1..`entries`, the last entry and `extraSeqs` (each read hash-checked by the backend). A run this
 * small or smaller is read whole. Undefined for an empty run.
 */
export async function readRunSample(
  store: EventStore,
  entries: number,
  extraSeqs: readonly number[] = [],
  maxStrata = SAMPLE_STRATA,
): Promise<RunSample | undefined> {
  if (entries <= 0) return undefined;
  const strata = Math.min(maxStrata, Math.ceil(entries / SAMPLE_STRETCH));
  const firstSeqs = Array.from({ length: strata }, (_value, index) => 1 + Math.floor((index * entries) / strata));
  const ranges: Array<[number, number]> = firstSeqs.map((first, index) => {
    const next = index + 1 < strata ? firstSeqs[index + 1]! : entries + 1;
    return [first, Math.min(first + SAMPLE_STRETCH, next) - 1];
  });
  for (const seq of [entries, ...extraSeqs]) if (Number.isInteger(seq) && seq >= 1 && seq <= entries) ranges.push([seq, seq]);
  const found = new Map<number, EventStoreEntry>();
  for (let start = 0; start < ranges.length; start += SAMPLE_CONCURRENCY) {
    const batch = await Promise.all(ranges.slice(start, start + SAMPLE_CONCURRENCY).map(([from, to]) => store.scanRange(from, to)));
    for (const read of batch) for (const entry of read) found.set(entry.seq, entry);
  }
  const first = found.get(1);
  if (first === undefined) return undefined;
  const originNs = first.tsInit;
  const read = new Map<number, SampledEntry>();
  for (const [seq, entry] of found) {
    read.set(seq, { seq, offset: Number(entry.tsInit - originNs), lane: laneOfTopic(entry.topic), topic: entry.topic, payloadType: entry.payloadType });
  }
  const laneCounts = ranges.slice(0, strata).map(([from, to]) => {
    const counts = LANES.map(() => 0);
    for (let seq = from; seq <= to; seq += 1) {
      const entry = read.get(seq);
      if (entry !== undefined) counts[entry.lane]! += 1;
    }
    return counts;
  });
  const startOffsets = [...firstSeqs, entries].map((seq) => read.get(seq)?.offset ?? 0);
  return { entries, originNs, firstSeqs, startOffsets, laneCounts, read };
}

/** The earliest and latest time the sample saw (offsets, ns). */
export function sampleSpan(sample: RunSample): { from: number; to: number } {
  let from = Infinity;
  let to = -Infinity;
  for (const offset of sample.startOffsets) {
    from = Math.min(from, offset);
    to = Math.max(to, offset);
  }
  return { from, to };
}

/**
 * Adds to `counts[lane][bucket]` the estimated entries with a seq after `walked` (the ones the full
 * summary has not read yet) that fall in the window of `buckets` intervals of `bucketWidth` from
 * `from` up to `to`; returns how many it added (a fraction).
 */
export function addEstimatedCounts(sample: RunSample, walked: number, window: { from: number; to: number; bucketWidth: number }, counts: number[][]): number {
  const { from, to, bucketWidth } = window;
  const buckets = counts[0]!.length;
  const bucketOf = (offset: number) => Math.min(buckets - 1, Math.max(0, Math.floor((offset - from) / bucketWidth)));
  let added = 0;
  const strata = sample.firstSeqs.length;
  for (let stratum = 0; stratum < strata; stratum += 1) {
    const firstSeq = sample.firstSeqs[stratum]!;
    const lastSeq = (stratum + 1 < strata ? sample.firstSeqs[stratum + 1]! : sample.entries + 1) - 1;
    const unread = Math.max(firstSeq, walked + 1);
    const count = lastSeq - unread + 1;
    if (count <= 0) continue;
    const laneCounts = sample.laneCounts[stratum]!;
    const sampled = laneCounts.reduce((sum, value) => sum + value, 0);
    if (sampled === 0) continue;
    const low = Math.min(sample.startOffsets[stratum]!, sample.startOffsets[stratum + 1]!);
    const high = Math.max(sample.startOffsets[stratum]!, sample.startOffsets[stratum + 1]!);
    // The part of the stratum already read took its share of the stratum's time.
    const start = low + ((high - low) * (unread - firstSeq)) / (lastSeq - firstSeq + 1);
    const length = high - start;
    const spread = (bucket: number, share: number) => {
      for (let lane = 0; lane < laneCounts.length; lane += 1) {
        if (laneCounts[lane] !== 0) counts[lane]![bucket]! += (count * share * laneCounts[lane]!) / sampled;
      }
      added += count * share;
    };
    if (length <= 0) {
      if (start >= from && start <= to) spread(bucketOf(start), 1);
      continue;
    }
    const inside = Math.max(start, from);
    const end = Math.min(high, to);
    if (inside > end) continue;
    for (let bucket = bucketOf(inside); bucket <= bucketOf(end); bucket += 1) {
      const bucketFrom = Math.max(inside, from + bucket * bucketWidth);
      const bucketTo = bucket === buckets - 1 ? end : Math.min(end, from + (bucket + 1) * bucketWidth);
      if (bucketTo > bucketFrom) spread(bucket, (bucketTo - bucketFrom) / length);
    }
  }
  return added;
}
