/** The sample read across a run before its full summary, and the timeline estimated from it while the run is read. */
import { type EventStore, type EventStoreEntry, TapelogError } from '@tapelog/core';
import { describe, expect, test } from 'vitest';
import { addEstimatedCounts, readRunSample, SAMPLE_STRATA, SAMPLE_STRETCH } from '../src/reader/run-sample.js';
import type { RunSummary } from '../src/reader/run-summary.js';
import { queryTimeline, runSpan } from '../src/reader/timeline-query.js';
import { LANES, laneOfTopic } from '../src/topic-lanes.js';

const ORIGIN = 1_700_000_000_000_000_000n;

/** A stand-in store over entries at `offsets` (ns after ORIGIN) on `topics`, counting the entries it hands out. */
function stubStore(offsets: number[], topicOf: (seq: number) => string, damagedSeq?: number) {
  const served = { entries: 0, calls: 0 };
  const entry = (seq: number) =>
    ({
      seq,
      tsInit: ORIGIN + BigInt(offsets[seq - 1]!),
      topic: topicOf(seq),
      payloadType: seq === 1 ? 'RunStarted' : seq === offsets.length ? 'RunEnded' : 'OrderFilled',
    }) as EventStoreEntry;
  const store = {
    async scanRange(from: number, to: number) {
      served.calls += 1;
      const read: EventStoreEntry[] = [];
      for (let seq = Math.max(1, from); seq <= Math.min(to, offsets.length); seq += 1) {
        if (seq === damagedSeq) throw new TapelogError('HASH_MISMATCH', `entry ${seq} does not match its hash`);
        read.push(entry(seq));
      }
      served.entries += read.length;
      return read;
    },
  } as unknown as EventStore;
  return { store, served };
}

/** A summary of a run (seq order is time order) of which the first `walked` entries are read, with its sample. */
async function fillingSummary(offsets: number[], topicOf: (seq: number) => string, walked: number): Promise<RunSummary> {
  const entries = offsets.length;
  const sample = await readRunSample(stubStore(offsets, topicOf).store, entries);
  const lanes = new Uint8Array(entries);
  for (let seq = 1; seq <= walked; seq += 1) lanes[seq - 1] = laneOfTopic(topicOf(seq));
  const lifecycleSeqs = [1, entries].filter((seq) => seq <= walked);
  return {
    entries,
    walked,
    complete: walked === entries,
    monotonic: true,
    originNs: ORIGIN,
    offsets: Float64Array.from(offsets.map((offset, index) => (index < walked ? offset : 0))),
    lanes,
    topicIds: new Uint16Array(entries),
    topics: ['t'],
    typeIds: Uint16Array.from(offsets.map((_offset, index) => (index === entries - 1 ? 1 : 0))),
    payloadTypes: ['RunStarted', 'RunEnded'],
    timeOrder: undefined,
    orderIds: new Map(),
    causationPrefixes: new Uint32Array(entries),
    indexKeysBySeq: new Map(),
    lifecycleSeqs,
    anchor: undefined,
    sample,
  };
}

const sum = (counts: number[][]) => counts.flat().reduce((total, count) => total + count, 0);
/** 100,000 entries 1 µs apart, the first half commands, the second half order events. */
const LARGE = Array.from({ length: 100_000 }, (_value, index) => index * 1000);
const halves = (seq: number) => (seq <= 50_000 ? 'RiskEngine.execute' : 'ExecEngine.process');

describe('readRunSample', () => {
  test('reads evenly spaced stretches, the first and the last entry and the extra seqs, a small part of a large run', async () => {
    const { store, served } = stubStore(LARGE, halves);
    const sample = (await readRunSample(store, LARGE.length, [77_777]))!;
    expect(sample.firstSeqs).toHaveLength(SAMPLE_STRATA);
    expect(sample.firstSeqs[0]).toBe(1);
    expect(sample.read.has(LARGE.length)).toBe(true);
    expect(sample.read.get(77_777)?.offset).toBe(LARGE[77_776]);
    expect(sample.startOffsets.at(-1)).toBe(LARGE.at(-1));
    expect(sample.originNs).toBe(ORIGIN);
    expect(served.entries).toBeLessThanOrEqual(SAMPLE_STRATA * SAMPLE_STRETCH + 2);
    // Stretches are evenly spaced: neighbouring first seqs differ by entries / strata (rounded).
    const gaps = new Set(sample.firstSeqs.slice(1).map((seq, index) => seq - sample.firstSeqs[index]!));
    expect([...gaps].every((gap) => Math.abs(gap - LARGE.length / SAMPLE_STRATA) < 1)).toBe(true);
  });

  test('a small run is read whole, an empty run has no sample', async () => {
    const small = [0, 5, 10, 15, 20];
    const sample = (await readRunSample(stubStore(small, () => 'clock.time_event').store, small.length))!;
    expect([...sample.read.keys()].sort((left, right) => left - right)).toEqual([1, 2, 3, 4, 5]);
    expect(await readRunSample(stubStore([], () => 'x').store, 0)).toBeUndefined();
  });

  test('a damaged entry met by the sample fails with the backend code, never an answer', async () => {
    const { store } = stubStore(LARGE, halves, 1);
    await expect(readRunSample(store, LARGE.length)).rejects.toMatchObject({ code: 'HASH_MISMATCH' });
  });
});

describe('the timeline while the run is read', () => {
  test('before any entry is read, the whole run is drawn from the sample: its span, its count, its lanes, marked estimated', async () => {
    const summary = await fillingSummary(LARGE, halves, 0);
    expect(runSpan(summary)).toEqual({ from: 0, to: LARGE.at(-1) });
    const answer = queryTimeline(summary, { from: Number.NaN, to: Number.NaN, buckets: 10 });
    expect(answer.estimated).toBe(true);
    expect(answer.entries).toBeNull();
    expect(answer.total).toBe(LARGE.length);
    expect(sum(answer.counts)).toBeCloseTo(LARGE.length, -1);
    // Commands in the first half of the time, order events in the second, about 10,000 per interval.
    const commands = answer.counts[LANES.indexOf('commands')]!;
    const orderEvents = answer.counts[LANES.indexOf('order events')]!;
    expect(commands.slice(0, 5).every((count) => Math.abs(count - 10_000) < 200)).toBe(true);
    expect(orderEvents.slice(5).every((count) => Math.abs(count - 10_000) < 200)).toBe(true);
    expect(commands.slice(6).every((count) => count === 0)).toBe(true);
    expect(answer.marks.map((mark) => mark.kind)).toEqual(['RunStarted', 'RunEnded']);
  });

  test('a window is estimated from the sample too, in proportion to its length', async () => {
    const summary = await fillingSummary(LARGE, halves, 0);
    const answer = queryTimeline(summary, { from: 60_000_000, to: 70_000_000 - 1, buckets: 4 });
    expect(Math.abs(answer.total - 10_000)).toBeLessThan(100);
    expect(answer.counts[LANES.indexOf('commands')]!.every((count) => count === 0)).toBe(true);
  });

  test('the part already read is counted exactly and only the rest is estimated', async () => {
    const summary = await fillingSummary(LARGE, halves, 30_000);
    const readPart = queryTimeline(summary, { from: 0, to: 20_000_000, buckets: 4 });
    expect(readPart.estimated).toBe(false);
    expect(readPart.total).toBe(20_001);
    expect(readPart.entries).toBeNull();
    const whole = queryTimeline(summary, { from: Number.NaN, to: Number.NaN, buckets: 10 });
    expect(whole.estimated).toBe(true);
    expect(whole.counts[LANES.indexOf('commands')]![0]).toBe(10_000);
    expect(Math.abs(whole.total - LARGE.length)).toBeLessThanOrEqual(1);
  });

  test('a small window already read lists its entries', async () => {
    const summary = await fillingSummary(LARGE, halves, 30_000);
    const answer = queryTimeline(summary, { from: 1_000_000, to: 1_009_000, buckets: 4 });
    expect(answer.estimated).toBe(false);
    expect(answer.entries?.map((entry) => entry.seq)).toEqual([1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010]);
  });

  test('once the run is read the sample is no longer used', async () => {
    const summary = await fillingSummary(LARGE, halves, LARGE.length);
    summary.lanes.set(LARGE.map((_offset, index) => laneOfTopic(halves(index + 1))));
    const answer = queryTimeline(summary, { from: Number.NaN, to: Number.NaN, buckets: 10 });
    expect(answer.estimated).toBe(false);
    expect(answer.total).toBe(LARGE.length);
    expect(sum(answer.counts)).toBe(LARGE.length);
  });

  test('entries sharing one instant land in the interval of that instant', async () => {
    const sameTime = Array.from({ length: 5000 }, () => 0);
    const summary = await fillingSummary(sameTime, () => 'clock.time_event', 0);
    const counts = LANES.map(() => [0, 0, 0, 0]);
    const added = addEstimatedCounts(summary.sample!, 0, { from: -50, to: 50, bucketWidth: 25 }, counts);
    expect(added).toBeCloseTo(5000, 6);
    expect(counts[LANES.indexOf('timers')]![2]).toBeCloseTo(5000, 6);
    const outside = LANES.map(() => [0, 0]);
    expect(addEstimatedCounts(summary.sample!, 0, { from: 50, to: 100, bucketWidth: 25 }, outside)).toBe(0);
  });
});
