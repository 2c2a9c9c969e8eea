import type { BusTap } from '@tapelog/capture';
import { describe, expect, it } from 'vitest';
import { MessageBus } from '../src/message-bus.js';

function recordingTap(log: string[]): BusTap {
  return {
    onPublish: (topic) => log.push(`tap:publish:${topic}`),
    onSend: (endpoint) => log.push(`tap:send:${endpoint}`),
    onResponse: (correlationId) => log.push(`tap:response:${correlationId}`),
    onTimer: () => log.push('tap:timer'),
  };
}

describe('MessageBus', () => {
  it('shows every dispatch to the tap before any handler', () => {
    const bus = new MessageBus();
    const log: string[] = [];
    bus.setTap(recordingTap(log));
    bus.subscribe('events.order.*', () => log.push('handler:publish'));
    bus.register('ExecEngine.process', () => log.push('handler:send'));
    bus.publish('events.order.S-1', {});
    bus.send('ExecEngine.process', {});
    bus.fireTimer({}, () => log.push('handler:timer'));
    expect(log).toEqual(['tap:publish:events.order.S-1', 'handler:publish', 'tap:send:ExecEngine.process', 'handler:send', 'tap:timer', 'handler:timer']);
  });

  it('taps a send even when no handler is registered for the endpoint', () => {
    const bus = new MessageBus();
    const log: string[] = [];
    bus.setTap(recordingTap(log));
    bus.send('Nobody.home', {});
    expect(log).toEqual(['tap:send:Nobody.home']);
  });

  it('delivers to handlers even when the tap throws, and counts the failure', () => {
    const bus = new MessageBus();
    const throwing = () => {
      throw new Error('tap broke');
    };
    bus.setTap({ onPublish: throwing, onSend: throwing, onResponse: throwing, onTimer: throwing });
    const received: unknown[] = [];
    bus.subscribe('topic', (message) => received.push(message));
    bus.register('endpoint', (message) => received.push(message));
    bus.publish('topic', 1);
    bus.send('endpoint', 2);
    bus.fireTimer(3, (message) => received.push(message));
    expect(received).toEqual([1, 2, 3]);
    expect(bus.counters.tapFailures).toBe(3);
  });

  it('matches * and ? patterns, runs higher priority first, then subscription order', () => {
    const bus = new MessageBus();
    const order: string[] = [];
    bus.subscribe('data.quotes.*', () => order.push('star'));
    bus.subscribe('data.quotes.AAPL.SI?', () => order.push('question'));
    bus.subscribe('data.quotes.AAPL.SIM', () => order.push('exact-high'), 10);
    bus.subscribe('data.trades.*', () => order.push('wrong'));
    bus.publish('data.quotes.AAPL.SIM', {});
    expect(order).toEqual(['exact-high', 'star', 'question']);
  });

  it('stops delivering after unsubscribe and after clearTap', () => {
    const bus = new MessageBus();
    const log: string[] = [];
    const handler = () => log.push('handler');
    bus.setTap(recordingTap(log));
    bus.subscribe('t', handler);
    bus.clearTap();
    bus.unsubscribe('t', handler);
    bus.publish('t', {});
    expect(log).toEqual([]);
    expect(bus.counters.published).toBe(1);
  });

  it('routes a response to its request by correlation id, once', () => {
    const bus = new MessageBus();
    const log: string[] = [];
    bus.setTap(recordingTap(log));
    bus.register('DataEngine.request', () => log.push('request handled'));
    const responses: unknown[] = [];
    bus.request('DataEngine.request', { ask: 1 }, 'c-1', (response) => responses.push(response));
    expect(bus.pendingRequestCount).toBe(1);
    expect(bus.respond('c-1', 'answer')).toBe(true);
    expect(bus.respond('c-1', 'late')).toBe(false);
    expect(responses).toEqual(['answer']);
    expect(log).toEqual(['tap:send:DataEngine.request', 'request handled', 'tap:response:c-1', 'tap:response:c-1']);
    expect(() => {
      bus.request('DataEngine.request', {}, 'c-2', () => {});
      bus.request('DataEngine.request', {}, 'c-2', () => {});
    }).toThrow(expect.objectContaining({ constructor: Error, message: expect.stringContaining('c-2') })); // names the correlation id it refused
  });

  it('refuses a second handler for one endpoint', () => {
    const bus = new MessageBus();
    bus.register('e', () => {});
    expect(() => bus.register('e', () => {})).toThrow(expect.objectContaining({ constructor: Error, message: expect.stringContaining('endpoint e ') })); // names the endpoint it refused
  });
});
