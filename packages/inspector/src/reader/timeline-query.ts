/**
 * Answers the timeline page from a run summary: counts per lane per interval over a time window
 * (one pass over the window's entries, never the run), and the entries themselves once the window
 * holds few enough of them to draw one by one.
 */

import { RUN_ENDED_PAYLOAD_TYPE, RUN_STARTED_PAYLOAD_TYPE, type RunManifest, type SnapshotAnchor } from '@tapelog/core';
import { LANES } from '../topic-lanes.js';
import { addEstimatedCounts, sampleSpan } from './run-sample.js';
import type { RunSummary } from './run-summary.js';

/** Windows holding at most this many entries come back entry by entry. */
export const TIMELINE_ENTRY_LIMIT = 2000;
export const MAX_TIMELINE_BUCKETS = 2000;

export interface TimelineWindow {
  /** ns after the run's origin (inclusive). */
  from: number;
  /** ns after the run's origin (inclusive). */
  to: number;
  buckets: number;
}

export interface TimelineEntry {
  seq: number;
  offset: number;
  lane: number;
  topic: string;
  payloadType: string;
}

export interface TimelineAnswer {
  originNs: bigint;
  from: number;
  to: number;
  bucketWidth: number;
  lanes: readonly string[];
  /** counts[lane][bucket] */
  counts: number[][];
  total: number;
  /** null once the window holds more than TIMELINE_ENTRY_LIMIT entries (JSON keeps a null, not an undefined). */
  entries: TimelineEntry[] | null;
  marks: Array<{ seq: number; offset: number; kind: 'RunStarted' | 'RunEnded' | 'SnapshotAnchor' }>;
  /** Entries read so far, and whether the whole run is: a partial answer is asked again. */
  walked: number;
  complete: boolean;
  /**
   * True when part of the counts (and `total`) is estimated from the run's sample because the
   * window reaches past what is read so far; `entries` is null then.
   */
  estimated: boolean;
}

/** The entry index at time-order position `position`. */
function indexAt(summary: RunSummary, position: number): number {
  return summary.timeOrder === undefined ? position : summary.timeOrder[position]!;
}

/** The first time-order position among the first `count` whose offset is >= `offset` (or > when `after`). */
function lowerBound(summary: RunSummary, offset: number, after: boolean, count: number): number {
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const value = summary.offsets[indexAt(summary, middle)]!;
    if (value < offset || (after && value === offset)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The time-order positions `[first, end)` of the window, found by binary search. While the
 * summary is still being filled only the entries read so far exist, in seq order (a time order
 * is settled at the end): when their times went backwards somewhere, the window's entries are
 * taken in one pass and sorted by time instead.
 */
function windowPositions(summary: RunSummary, from: number, to: number): { positions: Uint32Array | undefined; first: number; end: number } {
  if (summary.complete || summary.monotonic) {
    const count = summary.complete ? summary.entries : summary.walked;
    return { positions: undefined, first: lowerBound(summary, from, false, count), end: lowerBound(summary, to, true, count) };
  }
  const found: number[] = [];
  for (let index = 0; index < summary.walked; index += 1) {
    const offset = summary.offsets[index]!;
    if (offset >= from && offset <= to) found.push(index);
  }
  if (!summary.monotonic) found.sort((left, right) => summary.offsets[left]! - summary.offsets[right]! || left - right);
  return { positions: Uint32Array.from(found), first: 0, end: found.length };
}

/** The overview of a run the reader answers with (while and after reading it). */
export interface OverviewAnswer {
  entries: number;
  walked: number;
  /** Entries read at evenly spaced seqs before the full pass (the timeline is estimated from them meanwhile). */
  sampled: number;
  complete: boolean;
  originNs: bigint;
  span: { from: number; to: number };
  lanes: readonly string[];
  anchor: SnapshotAnchor | null;
  manifest: RunManifest;
}

/** The run's time span: exact once complete; while it fills, what is read so far widened by the sample. */
export function runSpan(summary: RunSummary): { from: number; to: number } {
  const count = summary.complete ? summary.entries : summary.walked;
  let from = Infinity;
  let to = -Infinity;
  if (!summary.complete && summary.sample !== undefined) ({ from, to } = sampleSpan(summary.sample));
  if (count === 0) return from <= to ? { from, to } : { from: 0, to: 0 };
  if (summary.complete || summary.monotonic) {
    return { from: Math.min(from, summary.offsets[indexAt(summary, 0)]!), to: Math.max(to, summary.offsets[indexAt(summary, count - 1)]!) };
  }
  for (let index = 0; index < count; index += 1) {
    from = Math.min(from, summary.offsets[index]!);
    to = Math.max(to, summary.offsets[index]!);
  }
  return { from, to };
}

/** RunStarted, RunEnded and the snapshot anchor: from the summary as far as it is read, from the sample beyond. */
function marks(summary: RunSummary): TimelineAnswer['marks'] {
  const found: TimelineAnswer['marks'] = summary.lifecycleSeqs.map((seq) => ({
    seq,
    offset: summary.offsets[seq - 1]!,
    kind: summary.payloadTypes[summary.typeIds[seq - 1]!] === 'RunEnded' ? ('RunEnded' as const) : ('RunStarted' as const),
  }));
  const sample = summary.complete ? undefined : summary.sample;
  if (sample !== undefined) {
    for (const entry of sample.read.values()) {
      if (entry.seq <= summary.walked) continue;
      if (entry.payloadType === RUN_STARTED_PAYLOAD_TYPE || entry.payloadType === RUN_ENDED_PAYLOAD_TYPE) {
        found.push({ seq: entry.seq, offset: entry.offset, kind: entry.payloadType === RUN_ENDED_PAYLOAD_TYPE ? 'RunEnded' : 'RunStarted' });
      }
    }
    found.sort((left, right) => left.seq - right.seq);
  }
  const anchorSeq = summary.anchor?.highWatermark;
  if (anchorSeq !== undefined && anchorSeq >= 1 && anchorSeq <= summary.walked)
    found.push({ seq: anchorSeq, offset: summary.offsets[anchorSeq - 1]!, kind: 'SnapshotAnchor' });
  else if (anchorSeq !== undefined && sample?.read.has(anchorSeq))
    found.push({ seq: anchorSeq, offset: sample.read.get(anchorSeq)!.offset, kind: 'SnapshotAnchor' });
  return found;
}

export function queryTimeline(summary: RunSummary, window: TimelineWindow): TimelineAnswer {
  const span = runSpan(summary);
  const from = Number.isFinite(window.from) ? window.from : span.from;
  const to = Math.max(from, Number.isFinite(window.to) ? window.to : span.to);
  const buckets = Math.max(1, Math.min(MAX_TIMELINE_BUCKETS, Math.floor(window.buckets) || 1));
  // The last bucket is closed on the right, so an entry at exactly `to` is counted.
  const bucketWidth = Math.max(1, (to - from) / buckets);
  const counts = LANES.map(() => new Array<number>(buckets).fill(0));
  const { positions, first, end } = windowPositions(summary, from, to);
  const at = (position: number): number => (positions === undefined ? indexAt(summary, position) : positions[position]!);
  for (let position = first; position < end; position += 1) {
    const index = at(position);
    const bucket = Math.min(buckets - 1, Math.floor((summary.offsets[index]! - from) / bucketWidth));
    counts[summary.lanes[index]!]![bucket]! += 1;
  }
  // While the run is read, the entries not read yet are estimated from the sample.
  const estimate =
    summary.complete || summary.sample === undefined || summary.walked >= summary.entries
      ? 0
      : addEstimatedCounts(summary.sample, summary.walked, { from, to, bucketWidth }, counts);
  const estimated = estimate > 0;
  if (estimated) {
    for (const laneCounts of counts) for (let bucket = 0; bucket < buckets; bucket += 1) laneCounts[bucket] = Math.round(laneCounts[bucket]! * 100) / 100;
  }
  const total = end - first + Math.round(estimate);
  let entries: TimelineEntry[] | null = null;
  if (!estimated && total <= TIMELINE_ENTRY_LIMIT) {
    entries = [];
    for (let position = first; position < end; position += 1) {
      const index = at(position);
      entries.push({
        seq: index + 1,
        offset: summary.offsets[index]!,
        lane: summary.lanes[index]!,
        topic: summary.topics[summary.topicIds[index]!]!,
        payloadType: summary.payloadTypes[summary.typeIds[index]!]!,
      });
    }
  }
  return {
    originNs: summary.originNs,
    from,
    to,
    bucketWidth,
    lanes: LANES,
    counts,
    total,
    entries,
    marks: marks(summary),
    walked: summary.walked,
    complete: summary.complete,
    estimated,
  };
}
