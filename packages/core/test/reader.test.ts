import { describe, expect, test } from 'vitest';
import {
  buildEntry,
  type EventStore,
  type EventStoreEntry,
  EventStoreReader,
  gapError,
  isEmptyReplayPlan,
  type SnapshotAnchor,
  TapelogError,
} from '../src/index.js';

/** A store over `count` entries that records every scanRange call and can fail at one seq. */
function fakeStore(count: number, options: { failAt?: number; anchor?: SnapshotAnchor } = {}) {
  const calls: Array<[number, number, string]> = [];
  let highWatermark = count;
  const make = (seq: number): EventStoreEntry =>
    buildEntry({ headers: {}, topic: 't', payloadType: 'p', payload: new Uint8Array([seq & 0xff]), tsInit: BigInt(seq), indexKeys: [] }, seq, BigInt(seq));
  const store = {
    calls,
    grow(to: number) {
      highWatermark = to;
    },
    async scanRange(from: number, to: number, direction = 'forward') {
      calls.push([from, to, direction]);
      const hi = Math.min(to, highWatermark);
      const out: EventStoreEntry[] = [];
      for (let seq = from; seq <= hi; seq++) {
        if (seq === options.failAt) throw gapError(seq - 1, seq + 1, seq);
        out.push(make(seq));
      }
      return direction === 'reverse' ? out.reverse() : out;
    },
    async highWatermark() {
      return highWatermark;
    },
    async latestSnapshotAnchor() {
      return options.anchor;
    },
  };
  return store;
}

async function collect(iterable: AsyncIterable<EventStoreEntry>): Promise<number[]> {
  const seqs: number[] = [];
  for await (const entry of iterable) seqs.push(entry.seq);
  return seqs;
}

describe('EventStoreReader', () => {
  test('forward scans in chunks without dropping a seq at chunk boundaries', async () => {
    const store = fakeStore(10);
    const reader = new EventStoreReader(store as unknown as EventStore);
    expect(await collect(reader.scanRange(1, 10, 'forward', 3))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(store.calls.map(([from, to]) => [from, to])).toEqual([
      [1, 3],
      [4, 6],
      [7, 9],
      [10, 10],
    ]);
  });

  test('reverse scans clamp an open upper bound to the hwm and walk down', async () => {
    const store = fakeStore(5);
    const reader = new EventStoreReader(store as unknown as EventStore);
    expect(await collect(reader.scanRange(1, Number.MAX_SAFE_INTEGER, 'reverse', 2))).toEqual([5, 4, 3, 2, 1]);
    expect(store.calls[0]).toEqual([4, 5, 'reverse']);
  });

  test('invalid ranges yield nothing and never touch the backend', async () => {
    const store = fakeStore(5);
    const reader = new EventStoreReader(store as unknown as EventStore);
    expect(await collect(reader.scanRange(0, 5))).toEqual([]);
    expect(await collect(reader.scanRange(4, 3))).toEqual([]);
    expect(store.calls).toEqual([]);
  });

  test('chunk size 0 behaves as 1 and an open forward bound stops at the hwm', async () => {
    const store = fakeStore(3);
    const reader = new EventStoreReader(store as unknown as EventStore);
    expect(await collect(reader.scanRange(1, Number.MAX_SAFE_INTEGER, 'forward', 0))).toEqual([1, 2, 3]);
  });

  test('a forward scan follows rows committed while it iterates', async () => {
    const store = fakeStore(2);
    const reader = new EventStoreReader(store as unknown as EventStore);
    const seen: number[] = [];
    for await (const entry of reader.scanRange(1, 4, 'forward', 2)) {
      seen.push(entry.seq);
      if (entry.seq === 2) store.grow(4);
    }
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  test('the first backend error ends the scan; rows of the failing chunk are never yielded', async () => {
    const store = fakeStore(10, { failAt: 5 });
    const reader = new EventStoreReader(store as unknown as EventStore);
    const seen: number[] = [];
    let caught: unknown;
    try {
      for await (const entry of reader.scanRange(1, 10, 'forward', 4)) seen.push(entry.seq);
    } catch (error) {
      caught = error;
    }
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(TapelogError.hasCode(caught, 'GAP')).toBe(true);
  });

  test('the snapshot replay plan starts after the anchor and ends at the durable hwm', async () => {
    const anchored = new EventStoreReader(fakeStore(9, { anchor: { highWatermark: 6, blobRef: 'b', contentHash: 'c' } }) as unknown as EventStore);
    const plan = await anchored.snapshotReplayPlan();
    expect([plan.anchor?.highWatermark, plan.fromSeq, plan.toSeq]).toEqual([6, 7, 9]);
    expect(isEmptyReplayPlan(plan)).toBe(false);
    const none = await new EventStoreReader(fakeStore(0) as unknown as EventStore).snapshotReplayPlan();
    expect([none.anchor, none.fromSeq, none.toSeq]).toEqual([undefined, 1, 0]);
    expect(isEmptyReplayPlan(none)).toBe(true);
    const atHead = await new EventStoreReader(
      fakeStore(6, { anchor: { highWatermark: 6, blobRef: 'b', contentHash: 'c' } }) as unknown as EventStore,
    ).snapshotReplayPlan();
    expect(isEmptyReplayPlan(atHead)).toBe(true);
  });

  test('an anchor beyond the durable hwm makes the plan CORRUPTED', async () => {
    const reader = new EventStoreReader(fakeStore(3, { anchor: { highWatermark: 5, blobRef: 'b', contentHash: 'c' } }) as unknown as EventStore);
    await expect(reader.snapshotReplayPlan()).rejects.toMatchObject({ code: 'CORRUPTED' });
  });
});
