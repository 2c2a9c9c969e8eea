import { SimulatedClock } from '@tapelog/core';
import { describe, expect, it } from 'vitest';
import { EventLoop } from '../src/event-loop.js';
import { IdGenerator } from '../src/id-generator.js';
import { MessageBus } from '../src/message-bus.js';
import { TimeEvent } from '../src/messages/time-event.js';
import { SeededRandom } from '../src/random.js';
import { TimerService } from '../src/timer-service.js';

describe('EventLoop', () => {
  it('runs actions by time, then by scheduling order, moving the simulated clock to each', async () => {
    const clock = new SimulatedClock(1_000n);
    const loop = new EventLoop(clock);
    const log: string[] = [];
    loop.schedule(3_000n, () => log.push(`b@${clock.now()}`));
    loop.schedule(2_000n, () => log.push(`a@${clock.now()}`));
    loop.schedule(3_000n, () => log.push(`c@${clock.now()}`));
    loop.schedule(9_000n, () => log.push('late'));
    await loop.runUntil(5_000n);
    expect(log).toEqual(['a@2000', 'b@3000', 'c@3000']);
    expect(clock.now()).toBe(5_000n);
    expect(loop.pending).toBe(1);
  });

  it('clamps actions scheduled in the past to now and runs actions they schedule', async () => {
    const clock = new SimulatedClock(10n);
    const loop = new EventLoop(clock);
    const log: bigint[] = [];
    loop.schedule(0n, () => {
      log.push(clock.now());
      loop.scheduleAfter(5n, () => log.push(clock.now()));
    });
    await loop.drain(1_000n);
    expect(log).toEqual([10n, 15n]);
    expect(loop.executed).toBe(2);
  });

  it('awaits deferred work before the next action runs', async () => {
    const loop = new EventLoop(new SimulatedClock());
    const log: string[] = [];
    loop.schedule(1n, () => {
      log.push('first');
      loop.defer(async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        log.push('deferred');
      });
    });
    loop.schedule(1n, () => log.push('second'));
    await loop.runUntil(10n);
    expect(log).toEqual(['first', 'deferred', 'second']);
  });
});

describe('TimerService', () => {
  it('fires timers as TimeEvents through the bus tap, then the callback, until cancelled', async () => {
    const clock = new SimulatedClock();
    const loop = new EventLoop(clock);
    const bus = new MessageBus();
    const timers = new TimerService(loop, bus, new IdGenerator(new SeededRandom(1n)));
    const tapped: unknown[] = [];
    bus.setTap({ onPublish: () => {}, onSend: () => {}, onResponse: () => {}, onTimer: (event) => tapped.push(event) });
    const fired: bigint[] = [];
    timers.setTimer('tick', 10n, (event) => {
      fired.push(event.tsEvent);
      if (fired.length === 3) timers.cancelTimer('tick');
    });
    await loop.runUntil(100n);
    expect(fired).toEqual([10n, 20n, 30n]);
    expect(tapped).toHaveLength(3);
    expect(tapped[0]).toBeInstanceOf(TimeEvent);
    expect((tapped[0] as TimeEvent).name).toBe('tick');
    expect(() => timers.setTimer('x', 0n, () => {})).toThrow(RangeError);
  });
});
