/**
 * The deterministic event loop: actions scheduled at nanosecond times run in (time, scheduling
 * order), and the clock moves to each action's time before it runs. On the simulated clock the
 * loop jumps straight there; on the realtime clock it sleeps until the wall clock gets there.
 */
import { type Clock, SimulatedClock } from '@tapelog/core';

export type ScheduledAction = () => void;

interface ScheduledItem {
  readonly at: bigint;
  readonly order: number;
  readonly action: ScheduledAction;
}

export interface RunOptions {
  /** Hand control back to Node every this many actions (writer worker, progress, I/O). */
  yieldEvery?: number;
  /** Awaited at every yield, with the clock at the last action's time. */
  onYield?: () => Promise<void> | void;
  /** Checked after every action: true ends the run there, with the clock left at that action. */
  shouldStop?: () => boolean;
}

function earlier(left: ScheduledItem, right: ScheduledItem): boolean {
  return left.at < right.at || (left.at === right.at && left.order < right.order);
}

const sleep = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

export class EventLoop {
  readonly clock: Clock;
  readonly #simulated: SimulatedClock | undefined;
  readonly #heap: ScheduledItem[] = [];
  #order = 0;
  #executed = 0;
  /** Async work an action asked for; awaited before the next action runs (snapshot anchors). */
  #deferred: Array<() => Promise<void>> = [];

  constructor(clock: Clock) {
    this.clock = clock;
    this.#simulated = clock instanceof SimulatedClock ? clock : undefined;
  }

  get isSimulated(): boolean {
    return this.#simulated !== undefined;
  }

  /** Actions run so far. */
  get executed(): number {
    return this.#executed;
  }

  get pending(): number {
    return this.#heap.length;
  }

  /** Runs `action` at `at` (not before now: the past is clamped to now). */
  schedule(at: bigint, action: ScheduledAction): void {
    const now = this.clock.now();
    this.#push({ at: at < now ? now : at, order: this.#order++, action });
  }

  scheduleAfter(delay: bigint, action: ScheduledAction): void {
    if (delay < 0n) throw new RangeError('a delay cannot be negative');
    this.schedule(this.clock.now() + delay, action);
  }

  /**
   * Asks the loop to await `task` right after the current action, before anything else runs:
   * how a synchronous handler gets async work done without time or other messages moving on.
   */
  defer(task: () => Promise<void>): void {
    this.#deferred.push(task);
  }

  /** Runs every action due at or before `end`, then leaves the clock at `end`. */
  async runUntil(end: bigint, options: RunOptions = {}): Promise<void> {
    const yieldEvery = options.yieldEvery ?? 2_000;
    let sinceYield = 0;
    for (;;) {
      const next = this.#heap[0];
      if (next === undefined || next.at > end) break;
      await this.#advanceTo(next.at);
      this.#pop();
      this.#executed++;
      next.action();
      while (this.#deferred.length > 0) await this.#deferred.shift()!();
      if (options.shouldStop?.() === true) return;
      if (++sinceYield >= yieldEvery) {
        sinceYield = 0;
        await options.onYield?.();
        if (this.#simulated !== undefined) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    await this.#advanceTo(end);
  }

  /** Runs until nothing is scheduled or `deadline` passes, whichever comes first. */
  async drain(deadline: bigint, options: RunOptions = {}): Promise<void> {
    while (this.#heap.length > 0 && this.#heap[0]!.at <= deadline) {
      await this.runUntil(this.#heap[0]!.at, options);
    }
  }

  async #advanceTo(at: bigint): Promise<void> {
    if (this.#simulated !== undefined) {
      if (at > this.#simulated.now()) this.#simulated.set(at);
      return;
    }
    for (;;) {
      const remaining = at - this.clock.now();
      if (remaining <= 0n) return;
      await sleep(Math.max(1, Math.min(50, Number(remaining / 1_000_000n))));
    }
  }

  #push(item: ScheduledItem): void {
    const heap = this.#heap;
    heap.push(item);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!earlier(item, heap[parent]!)) break;
      heap[index] = heap[parent]!;
      index = parent;
    }
    heap[index] = item;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && earlier(heap[right]!, heap[left]!) ? right : left;
      if (!earlier(heap[child]!, last)) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = last;
  }
}
