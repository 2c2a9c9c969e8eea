/** The timeline's aggregation over a run summary: counts per lane per interval, window edges, entry lists, time order. */
import { describe, expect, test } from 'vitest';
import { type RunSummary, uuidPrefix } from '../src/reader/run-summary.js';
import { queryTimeline, runSpan, TIMELINE_ENTRY_LIMIT } from '../src/reader/timeline-query.js';
import { LANES, laneOfTopic } from '../src/topic-lanes.js';

/** A summary of entries at the given offsets (ns) on the given topics. */
function summary(offsets: number[], topics: string[]): RunSummary {
  const entries = offsets.length;
  const topicList = [...new Set(topics)];
  const sorted = offsets.every((offset, index) => index === 0 || offset >= offsets[index - 1]!);
  const timeOrder = sorted
    ? undefined
    : Uint32Array.from(offsets.map((_offset, index) => index).sort((left, right) => offsets[left]! - offsets[right]! || left - right));
  return {
    entries,
    walked: entries,
    complete: true,
    monotonic: sorted,
    originNs: 1_000n,
    offsets: Float64Array.from(offsets),
    lanes: Uint8Array.from(topics.map(laneOfTopic)),
    topicIds: Uint16Array.from(topics.map((topic) => topicList.indexOf(topic))),
    topics: topicList,
    typeIds: new Uint16Array(entries),
    payloadTypes: ['T'],
    timeOrder,
    orderIds: new Map(),
    causationPrefixes: new Uint32Array(entries),
    indexKeysBySeq: new Map(),
    lifecycleSeqs: [],
    anchor: undefined,
    sample: undefined,
  };
}

describe('lanes', () => {
  test('topics fall into their families', () => {
    expect(LANES[laneOfTopic('RiskEngine.execute')]).toBe('commands');
    expect(LANES[laneOfTopic('ExecEngine.process')]).toBe('order events');
    expect(LANES[laneOfTopic('events.position.MM-001')]).toBe('position/account');
    expect(LANES[laneOfTopic('Portfolio.update_account')]).toBe('position/account');
    expect(LANES[laneOfTopic('clock.time_event')]).toBe('timers');
    expect(LANES[laneOfTopic('reconciliation.raw.FillReport')]).toBe('venue reports');
    expect(LANES[laneOfTopic('data.response')]).toBe('requests/responses');
    expect(LANES[laneOfTopic('run.lifecycle.RunStarted')]).toBe('lifecycle');
    expect(LANES[laneOfTopic('something.else')]).toBe('other');
  });
});

describe('queryTimeline', () => {
  const topics = ['run.lifecycle.RunStarted', 'RiskEngine.execute', 'ExecEngine.process', 'ExecEngine.process', 'clock.time_event', 'run.lifecycle.RunEnded'];

  test('the whole run: every entry counted once, in its lane and interval, the last one included', () => {
    const answer = queryTimeline(summary([0, 10, 20, 30, 40, 100], topics), { from: Number.NaN, to: Number.NaN, buckets: 10 });
    expect(answer.total).toBe(6);
    expect(answer.counts.flat().reduce((sum, count) => sum + count, 0)).toBe(6);
    expect(answer.counts[LANES.indexOf('order events')]).toEqual([0, 0, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(answer.counts[LANES.indexOf('lifecycle')]![9]).toBe(1);
  });

  test('a window counts only what lies inside it, both edges included, and lists the entries in time order', () => {
    const answer = queryTimeline(summary([0, 10, 20, 30, 40, 100], topics), { from: 10, to: 30, buckets: 4 });
    expect(answer.total).toBe(3);
    expect(answer.entries?.map((entry) => entry.seq)).toEqual([2, 3, 4]);
    expect(answer.entries?.[0]?.topic).toBe('RiskEngine.execute');
  });

  test('a window with more entries than the limit comes back as counts only', () => {
    const many = Array.from({ length: TIMELINE_ENTRY_LIMIT + 1 }, (_value, index) => index);
    const answer = queryTimeline(
      summary(
        many,
        many.map(() => 'ExecEngine.process'),
      ),
      { from: 0, to: TIMELINE_ENTRY_LIMIT, buckets: 7 },
    );
    expect(answer.total).toBe(TIMELINE_ENTRY_LIMIT + 1);
    expect(answer.entries).toBeNull();
  });

  test('entries whose times go backwards are still found by time', () => {
    const unordered = summary([0, 50, 10, 60], ['a', 'b', 'c', 'd']);
    expect(runSpan(unordered)).toEqual({ from: 0, to: 60 });
    expect(queryTimeline(unordered, { from: 5, to: 55, buckets: 2 }).entries?.map((entry) => entry.seq)).toEqual([3, 2]);
  });

  test('while the summary fills, only the entries read so far are counted, and the answer says so', () => {
    const filling = { ...summary([0, 10, 20, 30, 40, 100], topics), walked: 3, complete: false };
    const answer = queryTimeline(filling, { from: Number.NaN, to: Number.NaN, buckets: 2 });
    expect(answer.total).toBe(3);
    expect(answer.to).toBe(20);
    expect(answer.walked).toBe(3);
    expect(answer.complete).toBe(false);
  });

  test('the number of intervals is bounded', () => {
    expect(queryTimeline(summary([0, 1], ['a', 'b']), { from: 0, to: 1, buckets: 1e9 }).counts[0]!.length).toBe(2000);
  });
});

test('a causation id is keyed by its first 32 bits, never 0 (which means none)', () => {
  expect(uuidPrefix('98385fe3-59a8-4af8-a721-7544624b7cda')).toBe(0x98385fe3);
  expect(uuidPrefix('00000000-59a8-4af8-a721-7544624b7cda')).toBe(1);
  expect(uuidPrefix(undefined)).toBe(0);
});
