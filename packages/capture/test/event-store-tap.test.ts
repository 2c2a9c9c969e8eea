import { type Clock, closedError, SimulatedClock, TapelogError } from '@tapelog/core';
import { TestBus } from '@tapelog/test-support';
import { describe, expect, it } from 'vitest';
import { BusCaptureAdapter } from '../src/adapter.js';
import { DATA_RESPONSE_TOPIC, TIME_EVENT_TOPIC } from '../src/bus-tap.js';
import { type CaptureLogger, createEventStoreTap, HALTED_LOG_MESSAGE, type MarkerObserver } from '../src/event-store-tap.js';
import type { EncoderRegistry } from '../src/registry.js';
import { CAUSATION_ID, CORRELATION_ID, OrderEventEnvelope, orderRegistry, QuoteTick, RejectedMessage, sampleFill, sampleSubmit } from './fixtures/messages.js';
import { FailingSink, RecordingSink } from './fixtures/sinks.js';

interface LogLine {
  level: 'warn' | 'error';
  message: string;
  context: Record<string, unknown>;
}

function recordingLogger(): CaptureLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    warn: (message, context) => lines.push({ level: 'warn', message, context }),
    error: (message, context) => lines.push({ level: 'error', message, context }),
  };
}

class TimeEvent {
  constructor(
    readonly name: string,
    readonly eventId: string,
  ) {}
}

class QuotesResponse {
  constructor(readonly correlationId: string) {}
}

function registryWithTimersAndResponses(): EncoderRegistry {
  const registry = orderRegistry();
  registry.register(TimeEvent, 'TimeEvent', (event) => ({ payload: new TextEncoder().encode(event.name), indexKeys: [] }));
  registry.register(QuotesResponse, 'QuotesResponse', () => ({ payload: new Uint8Array([1]), indexKeys: [] }), {
    headers: (response) => ({ correlationId: response.correlationId }),
  });
  return registry;
}

function setup(options: { sink?: RecordingSink | FailingSink; markers?: MarkerObserver; clock?: Clock } = {}) {
  const sink = options.sink ?? new RecordingSink();
  const clock = options.clock ?? new SimulatedClock(1_000n);
  const logger = recordingLogger();
  const halts: unknown[] = [];
  const adapter = new BusCaptureAdapter(sink, registryWithTimersAndResponses(), (reason) => halts.push(reason));
  const tap = createEventStoreTap({ adapter, clock, logger, markers: options.markers });
  const bus = new TestBus();
  bus.setTap(tap);
  return { sink, clock, logger, halts, adapter, tap, bus };
}

describe('event-store tap ordering', () => {
  it('submits the entry before the first handler runs, on every boundary', () => {
    const { bus, sink } = setup();
    const seenByHandlers: number[] = [];
    bus.subscribe('events.order.S-001', () => seenByHandlers.push(sink.drafts.length));
    bus.register('RiskEngine.execute', () => seenByHandlers.push(sink.drafts.length));
    bus.expectResponse(CORRELATION_ID, () => seenByHandlers.push(sink.drafts.length));
    bus.publish('events.order.S-001', sampleFill());
    bus.send('RiskEngine.execute', sampleSubmit());
    bus.respond(CORRELATION_ID, new QuotesResponse(CORRELATION_ID));
    bus.fireTimer(new TimeEvent('bar-timer', CAUSATION_ID), () => seenByHandlers.push(sink.drafts.length));
    expect(seenByHandlers).toEqual([1, 2, 3, 4]);
  });

  it('captures even when no handler is registered', () => {
    const { bus, sink } = setup();
    bus.send('Nobody.listens', sampleSubmit());
    expect(sink.drafts).toHaveLength(1);
  });

  it('still delivers when the encoder throws, and logs a warning with the topic', () => {
    const { bus, sink, logger } = setup();
    const delivered: unknown[] = [];
    const message = new RejectedMessage();
    bus.subscribe('events.rejected', (received) => delivered.push(received));
    expect(() => bus.publish('events.rejected', message)).not.toThrow();
    expect(delivered).toEqual([message]);
    expect(sink.drafts).toHaveLength(0);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatchObject({ level: 'warn', context: { topic: 'events.rejected' } });
    expect(String(logger.lines[0]!.context.error)).toContain('encoder rejected message');
  });
});

describe('event-store tap topics, headers and timestamps', () => {
  it('records publish under its topic, send under its endpoint, a response as data.response, a timer as clock.time_event', () => {
    const { bus, sink } = setup();
    bus.publish('events.order.S-001', sampleFill());
    bus.send('ExecEngine.execute', sampleSubmit());
    bus.respond(CORRELATION_ID, new QuotesResponse(CORRELATION_ID));
    bus.fireTimer(new TimeEvent('bar-timer', CAUSATION_ID), () => undefined);
    expect(sink.drafts.map((draft) => [draft.topic, draft.payloadType])).toEqual([
      ['events.order.S-001', 'OrderFilled'],
      ['ExecEngine.execute', 'SubmitOrder'],
      [DATA_RESPONSE_TOPIC, 'QuotesResponse'],
      [TIME_EVENT_TOPIC, 'TimeEvent'],
    ]);
    expect(DATA_RESPONSE_TOPIC).toBe('data.response');
    expect(TIME_EVENT_TOPIC).toBe('clock.time_event');
  });

  it('takes headers from the registry and tsInit from the clock at the hook', () => {
    const { bus, sink, clock } = setup({ clock: new SimulatedClock(5_000n) });
    bus.send('ExecEngine.execute', sampleSubmit());
    (clock as SimulatedClock).advance(250n);
    bus.respond(CORRELATION_ID, new QuotesResponse(CORRELATION_ID));
    bus.publish('events.order.S-001', sampleFill());
    expect(sink.drafts.map((draft) => [draft.headers, draft.tsInit])).toEqual([
      [{ correlationId: CORRELATION_ID, causationId: CAUSATION_ID }, 5_000n],
      [{ correlationId: CORRELATION_ID }, 5_250n],
      [{}, 5_250n],
    ]);
  });

  it('records the message without headers when its headers cannot be extracted', () => {
    const { bus, sink, logger } = setup();
    bus.send('ExecEngine.execute', new QuotesResponse('not-a-uuid'));
    expect(sink.drafts).toHaveLength(1);
    expect(sink.drafts[0]!.headers).toEqual({});
    expect(logger.lines[0]).toMatchObject({ level: 'warn', context: { topic: 'ExecEngine.execute' } });
  });

  it('captures the same event sent then published once, under the first boundary', () => {
    const { bus, sink } = setup();
    const fill = sampleFill();
    const delivered: string[] = [];
    bus.register('Portfolio.update_order', () => delivered.push('portfolio'));
    bus.subscribe('events.order.S-001', () => delivered.push('strategy'));
    bus.send('Portfolio.update_order', new OrderEventEnvelope(fill));
    bus.publish('events.order.S-001', new OrderEventEnvelope(fill));
    expect(sink.drafts.map((draft) => draft.topic)).toEqual(['Portfolio.update_order']);
    expect(delivered).toEqual(['portfolio', 'strategy']);
  });

  it('does not extract the headers of a duplicate, and still records a message whose identity extractor throws', () => {
    const registry = registryWithTimersAndResponses();
    let headerCalls = 0;
    registry.register(QuotesResponse, 'QuotesResponse', () => ({ payload: new Uint8Array([1]), indexKeys: [] }), {
      headers: (response) => {
        headerCalls++;
        return { correlationId: response.correlationId };
      },
      identity: (response) => {
        if (response.correlationId === CAUSATION_ID) throw new Error('no identity');
        return response.correlationId;
      },
    });
    const sink = new RecordingSink();
    const logger = recordingLogger();
    const bus = new TestBus();
    bus.setTap(createEventStoreTap({ adapter: new BusCaptureAdapter(sink, registry, () => undefined), clock: new SimulatedClock(1n), logger }));
    bus.send('a', new QuotesResponse(CORRELATION_ID));
    bus.send('b', new QuotesResponse(CORRELATION_ID));
    expect(headerCalls).toBe(1);
    expect(sink.drafts.map((draft) => draft.topic)).toEqual(['a']);
    // The failure is reported once, by the capture, as any identity failure was.
    bus.send('c', new QuotesResponse(CAUSATION_ID));
    expect(sink.drafts).toHaveLength(1);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatchObject({ level: 'warn', context: { topic: 'c' } });
    expect(TapelogError.hasCode(logger.lines[0]!.context.error, 'ENCODE')).toBe(true);
  });

  it('stops capturing once the host clears the tap', () => {
    const { bus, sink } = setup();
    bus.clearTap();
    bus.clearTap();
    bus.send('ExecEngine.execute', sampleSubmit());
    expect(sink.drafts).toHaveLength(0);
  });
});

describe('event-store tap failures', () => {
  it('logs a failed submit with its topic, then the halt once, and keeps delivering', () => {
    const { bus, logger, halts, adapter } = setup({ sink: new FailingSink(closedError()) });
    const delivered: unknown[] = [];
    bus.subscribe('events.order.S-001', (message) => delivered.push(message));
    for (let i = 0; i < 3; i++) bus.publish('events.order.S-001', sampleFill(`fill-${i}`));
    bus.publish('data.quotes.X', new QuoteTick('X', '1', '2'));
    expect(delivered).toHaveLength(3);
    expect(adapter.halted).toBe(true);
    expect(halts).toHaveLength(1);
    expect(logger.lines.map((line) => [line.level, line.message])).toEqual([
      ['error', 'Event store capture failed; message not recorded'],
      ['error', HALTED_LOG_MESSAGE],
    ]);
    expect(logger.lines[0]!.context.topic).toBe('events.order.S-001');
    expect(logger.lines[1]!.context.reason).toBe('event store writer closed');
  });

  it('never throws into the bus when the clock or the logger throws', () => {
    const brokenClock: Clock = {
      now: () => {
        throw new Error('clock broke');
      },
    };
    const { bus, sink, logger } = setup({ clock: brokenClock });
    const delivered: unknown[] = [];
    bus.subscribe('events.order.S-001', (message) => delivered.push(message));
    bus.publish('events.order.S-001', sampleFill());
    expect(delivered).toHaveLength(1);
    expect(sink.drafts).toHaveLength(0);
    expect(logger.lines[0]!.message).toContain('could not read the clock');

    const adapter = new BusCaptureAdapter(new RecordingSink(), orderRegistry(), () => undefined);
    const throwingLogger: CaptureLogger = {
      warn: () => {
        throw new Error('logger broke');
      },
      error: () => {
        throw new Error('logger broke');
      },
    };
    const tap = createEventStoreTap({ adapter, clock: new SimulatedClock(), logger: throwingLogger });
    expect(() => tap.onPublish('events.rejected', new RejectedMessage())).not.toThrow();
  });

  it('logs a programmer mistake such as an invalid topic as an error without halting', () => {
    const { tap, logger, adapter } = setup();
    tap.onPublish('events.*', sampleFill());
    expect(logger.lines[0]).toMatchObject({ level: 'error', context: { topic: 'events.*' } });
    expect(adapter.halted).toBe(false);
  });
});

describe('event-store tap markers', () => {
  function recordingMarkers() {
    const calls: unknown[][] = [];
    const markers: MarkerObserver = {
      observe: (topic, message, tsInit) => calls.push(['observe', topic, message, tsInit]),
      entrySubmitted: (tsInit) => calls.push(['entrySubmitted', tsInit]),
    };
    return { calls, markers };
  }

  it('observes what was not recorded and announces what was, with the boundary topic and tsInit', () => {
    const { calls, markers } = recordingMarkers();
    const { bus } = setup({ markers });
    const quote = new QuoteTick('ETHUSDT-PERP.BINANCE', '1', '2');
    const fill = sampleFill();
    bus.publish('data.quotes.ETHUSDT-PERP.BINANCE', quote);
    bus.send('Portfolio.update_order', fill);
    bus.publish('events.order.S-001', fill);
    expect(calls).toEqual([
      ['observe', 'data.quotes.ETHUSDT-PERP.BINANCE', quote, 1_000n],
      ['entrySubmitted', 1_000n],
      ['observe', 'events.order.S-001', fill, 1_000n],
    ]);
  });

  it('does not feed markers when capture failed', () => {
    const { calls, markers } = recordingMarkers();
    const { bus } = setup({ markers, sink: new FailingSink(closedError()) });
    bus.publish('events.rejected', new RejectedMessage());
    bus.publish('events.order.S-001', sampleFill());
    bus.publish('data.quotes.X', new QuoteTick('X', '1', '2'));
    expect(calls).toEqual([]);
  });

  it('works with an observer that has no entrySubmitted', () => {
    const observed: string[] = [];
    const { bus, sink } = setup({ markers: { observe: (topic) => observed.push(topic) } });
    bus.send('ExecEngine.execute', sampleSubmit());
    bus.publish('data.quotes.X', new QuoteTick('X', '1', '2'));
    expect(sink.drafts).toHaveLength(1);
    expect(observed).toEqual(['data.quotes.X']);
  });

  it('disables markers after one throws, logs it once, and keeps capturing and delivering', () => {
    let observeCalls = 0;
    const markers: MarkerObserver = {
      observe: () => {
        observeCalls++;
        throw new Error('marker lane full');
      },
    };
    const { bus, sink, logger, tap } = setup({ markers });
    const delivered: unknown[] = [];
    bus.subscribe('data.quotes.X', (message) => delivered.push(message));
    bus.publish('data.quotes.X', new QuoteTick('X', '1', '2'));
    bus.publish('data.quotes.X', new QuoteTick('X', '1', '3'));
    bus.send('ExecEngine.execute', sampleSubmit());
    expect(observeCalls).toBe(1);
    expect(tap.markersEnabled).toBe(false);
    expect(delivered).toHaveLength(2);
    expect(sink.drafts).toHaveLength(1);
    expect(logger.lines.map((line) => line.message)).toEqual(['Market-data marker capture failed; markers are disabled for the rest of this run']);
  });
});
