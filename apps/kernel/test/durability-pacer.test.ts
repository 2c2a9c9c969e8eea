import type { EventStoreWriter } from '@tapelog/writer';
import { describe, expect, it } from 'vitest';
import { DurabilityPacer } from '../src/durability-pacer.js';

/** A writer whose durable hwm the test moves by hand. */
function fakeWriter(accepted: number, durable: number): { writer: EventStoreWriter; advance(hwm: number): void; waitedFor: number[] } {
  const waiters: Array<{ seq: number; resolve(): void }> = [];
  const waitedFor: number[] = [];
  const state = { durable, halted: false };
  const writer = {
    get acceptedSeq() {
      return accepted;
    },
    get highWatermark() {
      return state.durable;
    },
    get halted() {
      return state.halted;
    },
    waitForDurable(seq: number) {
      waitedFor.push(seq);
      if (state.durable >= seq) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push({ seq, resolve }));
    },
  } as unknown as EventStoreWriter;
  return {
    writer,
    waitedFor,
    advance(hwm: number) {
      state.durable = hwm;
      for (const waiter of waiters.splice(0)) if (waiter.seq <= hwm) waiter.resolve();
    },
  };
}

describe('DurabilityPacer', () => {
  it('does not wait while the backlog is within the limit', async () => {
    const pacer = new DurabilityPacer(100);
    const { writer, waitedFor } = fakeWriter(150, 50);
    await pacer.pace(writer);
    expect(waitedFor).toEqual([]);
    expect(pacer.waits).toBe(0);
  });

  it('waits until the backlog is halved, and counts the wait', async () => {
    const pacer = new DurabilityPacer(100);
    const fake = fakeWriter(500, 100);
    let done = false;
    const pacing = pacer.pace(fake.writer).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toBe(false);
    expect(fake.waitedFor).toEqual([450]);
    fake.advance(450);
    await pacing;
    expect(pacer.waits).toBe(1);
    expect(pacer.waitedMilliseconds).toBeGreaterThanOrEqual(15);
  });

  it('does not wait on a halted writer or without one, and refuses a bad limit', async () => {
    const pacer = new DurabilityPacer(10);
    await pacer.pace(undefined);
    const halted = { acceptedSeq: 100, highWatermark: 0, halted: true } as unknown as EventStoreWriter;
    await pacer.pace(halted);
    expect(pacer.waits).toBe(0);
    expect(() => new DurabilityPacer(0)).toThrow(RangeError);
  });
});
