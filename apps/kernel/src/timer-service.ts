/**
 * Timers as messages: each firing becomes a `TimeEvent` that the bus shows to the tap before the
 * timer's callback runs, scheduled on the event loop so timers interleave deterministically with
 * market data and venue responses.
 */
import type { EventLoop } from './event-loop.js';
import type { IdGenerator } from './id-generator.js';
import type { MessageBus } from './message-bus.js';
import { TimeEvent } from './messages/time-event.js';

export type TimerCallback = (event: TimeEvent) => void;

export class TimerService {
  readonly #loop: EventLoop;
  readonly #bus: MessageBus;
  readonly #ids: IdGenerator;
  /** Active timers by name; a cancelled timer's pending firing finds itself gone and stops. */
  readonly #active = new Map<string, number>();
  #generation = 0;

  constructor(loop: EventLoop, bus: MessageBus, ids: IdGenerator) {
    this.#loop = loop;
    this.#bus = bus;
    this.#ids = ids;
  }

  /** Fires `callback` every `interval` nanoseconds, first one interval from now. */
  setTimer(name: string, interval: bigint, callback: TimerCallback): void {
    if (interval <= 0n) throw new RangeError(`timer ${name}: the interval must be positive`);
    if (this.#active.has(name)) throw new Error(`timer ${name} is already set`);
    const generation = ++this.#generation;
    this.#active.set(name, generation);
    const fire = () => {
      if (this.#active.get(name) !== generation) return;
      const now = this.#loop.clock.now();
      this.#bus.fireTimer(new TimeEvent(name, this.#ids.uuid(), now, now), callback as (event: unknown) => void);
      if (this.#active.get(name) === generation) this.#loop.scheduleAfter(interval, fire);
    };
    this.#loop.scheduleAfter(interval, fire);
  }

  cancelTimer(name: string): void {
    this.#active.delete(name);
  }

  get activeTimerNames(): string[] {
    return [...this.#active.keys()];
  }
}
