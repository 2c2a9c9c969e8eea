import { closedError, type Headers, TapelogError } from '@tapelog/core';
import { describe, expect, it } from 'vitest';
import { BusCaptureAdapter } from '../src/adapter.js';
import { EncodeError, HaltedError } from '../src/errors.js';
import type { CaptureHaltReason } from '../src/halt-reason.js';
import { decodeMsgpackPayload } from '../src/msgpack-encoder.js';
import { SubmitCounter } from '../src/submit-counter.js';
import {
  CAUSATION_ID,
  CORRELATION_ID,
  EVENT_ID,
  OrderEventEnvelope,
  OTHER_EVENT_ID,
  orderRegistry,
  QuoteTick,
  RejectedMessage,
  sampleFill,
  sampleSubmit,
} from './fixtures/messages.js';
import { FailingSink, RecordingSink } from './fixtures/sinks.js';

const NO_HEADERS: Headers = {};

function recordingHalts(): { calls: Array<{ reason: CaptureHaltReason; error: unknown }>; onHalt: (reason: CaptureHaltReason, error: unknown) => void } {
  const calls: Array<{ reason: CaptureHaltReason; error: unknown }> = [];
  return { calls, onHalt: (reason, error) => calls.push({ reason, error }) };
}

/** What `action` threw; undefined when it returned. */
function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

function setup(sink = new RecordingSink(), submitCounter?: SubmitCounter) {
  const halts = recordingHalts();
  const adapter = new BusCaptureAdapter(sink, orderRegistry(), halts.onHalt, { submitCounter });
  return { adapter, sink, halts };
}

describe('BusCaptureAdapter capture', () => {
  it('records a registered command with its payload type, topic, headers, tsInit and index keys', () => {
    const { adapter, sink, halts } = setup();
    const command = sampleSubmit();
    const headers = { correlationId: CORRELATION_ID, causationId: CAUSATION_ID };
    expect(adapter.capture('exec.command.SubmitOrder', command, headers, 100n)).toBe(true);
    expect(sink.drafts).toHaveLength(1);
    const draft = sink.drafts[0]!;
    expect(draft).toMatchObject({ topic: 'exec.command.SubmitOrder', payloadType: 'SubmitOrder', tsInit: 100n, headers });
    expect(draft.indexKeys).toEqual([{ kind: 'client_order_id', key: 'O-1' }]);
    expect(decodeMsgpackPayload(draft.payload)).toEqual({ ...command });
    expect(halts.calls).toHaveLength(0);
    expect(adapter.halted).toBe(false);
  });

  it('records both index keys of an event on its one draft', () => {
    const { adapter, sink } = setup();
    adapter.capture('exec.event.OrderFilled', sampleFill(), NO_HEADERS, 200n);
    expect(sink.drafts[0]!.indexKeys).toEqual([
      { kind: 'client_order_id', key: 'O-1' },
      { kind: 'venue_order_id', key: 'V-9' },
    ]);
  });

  it('returns false for an unregistered type without touching the writer', () => {
    const { adapter, sink } = setup();
    expect(adapter.capture('data.quotes.X', new QuoteTick('X', '1', '2'), NO_HEADERS, 50n)).toBe(false);
    expect(sink.drafts).toHaveLength(0);
    expect(adapter.halted).toBe(false);
  });

  it('stores an envelope under its inner payload type and payload', () => {
    const { adapter, sink } = setup();
    const fill = sampleFill();
    adapter.capture('events.order.S-001', new OrderEventEnvelope(fill), NO_HEADERS, 1n);
    expect(sink.drafts[0]!.payloadType).toBe('OrderFilled');
    expect(decodeMsgpackPayload(sink.drafts[0]!.payload)).toEqual({ ...fill });
  });
});

describe('BusCaptureAdapter submit counter', () => {
  it('counts accepted submits only: seeded at 1, captured, unknown, duplicate, captured gives 3', () => {
    const counter = new SubmitCounter(1);
    const { adapter } = setup(new RecordingSink(), counter);
    adapter.capture('exec.command.SubmitOrder', sampleSubmit(), NO_HEADERS, 100n);
    adapter.capture('data.quotes.X', new QuoteTick('X', '1', '2'), NO_HEADERS, 101n);
    adapter.capture('exec.command.SubmitOrder', sampleSubmit(), NO_HEADERS, 101n);
    adapter.capture('exec.event.OrderFilled', sampleFill(), NO_HEADERS, 102n);
    expect(counter.value).toBe(3);
    expect(adapter.submitCounter).toBe(counter);
  });

  it('does not count encoder errors or failed submits', () => {
    const counter = new SubmitCounter();
    const { adapter } = setup(new FailingSink(closedError()), counter);
    expect(() => adapter.capture('t', new RejectedMessage(), NO_HEADERS, 1n)).toThrow(EncodeError);
    expect(() => adapter.capture('t', sampleFill(), NO_HEADERS, 1n)).toThrow();
    expect(counter.value).toBe(0);
  });
});

describe('BusCaptureAdapter dedup', () => {
  it('captures the same event dispatched on two boundaries once, under the first topic', () => {
    const { adapter, sink } = setup();
    const fill = sampleFill();
    expect(adapter.capture('Portfolio.update_order', new OrderEventEnvelope(fill), NO_HEADERS, 1n)).toBe(true);
    expect(adapter.capture('events.order.S-001', new OrderEventEnvelope(fill), NO_HEADERS, 2n)).toBe(false);
    expect(adapter.capture('events.order.S-001', sampleFill(OTHER_EVENT_ID), NO_HEADERS, 3n)).toBe(true);
    expect(sink.drafts.map((draft) => [draft.topic, draft.payloadType])).toEqual([
      ['Portfolio.update_order', 'OrderFilled'],
      ['events.order.S-001', 'OrderFilled'],
    ]);
  });

  it('dedups a bare message against the same message in an envelope', () => {
    const { adapter, sink } = setup();
    expect(adapter.capture('a', sampleFill(), NO_HEADERS, 1n)).toBe(true);
    expect(adapter.capture('b', new OrderEventEnvelope(sampleFill()), NO_HEADERS, 1n)).toBe(false);
    expect(sink.drafts).toHaveLength(1);
  });

  it('forgets an identity after 128 newer ones', () => {
    const { adapter, sink } = setup();
    adapter.capture('t', sampleFill(EVENT_ID), NO_HEADERS, 1n);
    for (let i = 0; i < 128; i++) adapter.capture('t', sampleFill(`other-${i}`), NO_HEADERS, 1n);
    expect(adapter.capture('t', sampleFill(EVENT_ID), NO_HEADERS, 1n)).toBe(true);
    expect(sink.drafts).toHaveLength(130);
  });

  it('captures a type without an identity extractor on every dispatch', () => {
    const registry = orderRegistry();
    registry.register(QuoteTick, 'QuoteTick', () => ({ payload: new Uint8Array([1]), indexKeys: [] }));
    const sink = new RecordingSink();
    const adapter = new BusCaptureAdapter(sink, registry, () => undefined);
    const quote = new QuoteTick('X', '1', '2');
    expect(adapter.capture('a', quote, NO_HEADERS, 1n)).toBe(true);
    expect(adapter.capture('b', quote, NO_HEADERS, 1n)).toBe(true);
    expect(sink.drafts).toHaveLength(2);
  });

  it('remembers the identity before encoding, so a failed message is not retried in the window', () => {
    const registry = orderRegistry();
    registry.register(
      RejectedMessage,
      'RejectedMessage',
      () => {
        throw new Error('nope');
      },
      { identity: () => EVENT_ID },
    );
    const sink = new RecordingSink();
    const adapter = new BusCaptureAdapter(sink, registry, () => undefined);
    expect(() => adapter.capture('a', new RejectedMessage(), NO_HEADERS, 1n)).toThrow(EncodeError);
    expect(adapter.capture('b', new RejectedMessage(), NO_HEADERS, 1n)).toBe(false);
    expect(sink.drafts).toHaveLength(0);
  });

  it('tells a recent duplicate apart without remembering anything', () => {
    const { adapter, sink } = setup();
    expect(adapter.isRecentDuplicate(sampleFill())).toBe(false);
    expect(adapter.isRecentDuplicate(sampleFill())).toBe(false);
    expect(adapter.capture('a', sampleFill(), NO_HEADERS, 1n)).toBe(true);
    expect(adapter.isRecentDuplicate(new OrderEventEnvelope(sampleFill()))).toBe(true);
    expect(adapter.isRecentDuplicate(sampleFill(OTHER_EVENT_ID))).toBe(false);
    expect(adapter.isRecentDuplicate(new QuoteTick('X', '1', '2'))).toBe(false);
    expect(adapter.capture('b', sampleFill(OTHER_EVENT_ID), NO_HEADERS, 1n)).toBe(true);
    expect(sink.drafts).toHaveLength(2);
  });

  it('keeps separate memory per adapter (per run)', () => {
    const first = setup();
    const second = setup();
    expect(first.adapter.capture('t', sampleFill(), NO_HEADERS, 1n)).toBe(true);
    expect(second.adapter.capture('t', sampleFill(), NO_HEADERS, 1n)).toBe(true);
  });
});

describe('BusCaptureAdapter failures', () => {
  it('propagates an encoder error without halting, and keeps capturing', () => {
    const { adapter, sink, halts } = setup();
    const thrown = thrownBy(() => adapter.capture('exec.command.Failing', new RejectedMessage(), NO_HEADERS, 500n));
    expect(thrown).toBeInstanceOf(EncodeError);
    expect(TapelogError.hasCode(thrown, 'ENCODE')).toBe(true);
    expect(adapter.halted).toBe(false);
    expect(halts.calls).toHaveLength(0);
    expect(adapter.capture('exec.command.SubmitOrder', sampleSubmit(), NO_HEADERS, 501n)).toBe(true);
    expect(sink.drafts).toHaveLength(1);
  });

  it('halts on a failed submit: callback once with the reason, then HaltedError without calling the writer', () => {
    const failure = closedError('writer is closed');
    const sink = new FailingSink(failure);
    const { adapter, halts } = setup(sink);
    expect(() => adapter.capture('exec.command.SubmitOrder', sampleSubmit(), NO_HEADERS, 1n)).toThrow(failure);
    expect(adapter.halted).toBe(true);
    expect(halts.calls).toEqual([{ reason: { kind: 'BackendError', message: 'event store writer closed' }, error: failure }]);
    expect(adapter.haltReason).toEqual({ kind: 'BackendError', message: 'event store writer closed' });
    const later = thrownBy(() => adapter.capture('exec.event.OrderFilled', sampleFill(), NO_HEADERS, 2n));
    expect(later).toBeInstanceOf(HaltedError);
    expect(TapelogError.hasCode(later, 'HALTED')).toBe(true);
    expect((later as HaltedError).reason).toEqual(adapter.haltReason);
    expect((later as HaltedError).cause).toBe(failure);
    // Even unregistered messages short-circuit: nothing more is looked at once halted.
    expect(() => adapter.capture('data.quotes.X', new QuoteTick('X', '1', '2'), NO_HEADERS, 3n)).toThrow(HaltedError);
    expect(sink.calls).toBe(1);
    expect(halts.calls).toHaveLength(1);
  });

  it('halts with the stall measurements of a backpressure failure', () => {
    const failure = Object.assign(new TapelogError('HALT_SIGNALED', 'submit stalled'), { stalledForMs: 750, thresholdMs: 250 });
    const { adapter, halts } = setup(new FailingSink(failure, 1));
    expect(adapter.capture('t', sampleSubmit(), NO_HEADERS, 1n)).toBe(true);
    expect(() => adapter.capture('t', sampleFill(), NO_HEADERS, 2n)).toThrow(failure);
    expect(halts.calls.map((call) => call.reason)).toEqual([{ kind: 'BackpressureStall', stalledForMs: 750, thresholdMs: 250 }]);
  });

  it('is already halted when the callback runs, so a re-entrant capture is refused', () => {
    const sink = new FailingSink(closedError());
    let reentrant: unknown;
    const adapter: BusCaptureAdapter = new BusCaptureAdapter(sink, orderRegistry(), () => {
      reentrant = thrownBy(() => adapter.capture('t', sampleFill(OTHER_EVENT_ID), NO_HEADERS, 2n));
    });
    expect(() => adapter.capture('t', sampleFill(), NO_HEADERS, 1n)).toThrow();
    expect(reentrant).toBeInstanceOf(HaltedError);
    expect(sink.calls).toBe(1);
  });

  it('reports both errors when the halt callback throws, and stays halted', () => {
    const failure = closedError();
    const adapter = new BusCaptureAdapter(new FailingSink(failure), orderRegistry(), () => {
      throw new Error('callback broke');
    });
    const thrown = thrownBy(() => adapter.capture('t', sampleFill(), NO_HEADERS, 1n));
    expect(thrown).toBeInstanceOf(AggregateError);
    expect((thrown as AggregateError).errors[0]).toBe(failure);
    expect(((thrown as AggregateError).errors[1] as Error).message).toBe('callback broke');
    expect(adapter.halted).toBe(true);
  });
});

describe('BusCaptureAdapter arguments', () => {
  it.each([
    ['an empty topic', '', NO_HEADERS, 1n, TypeError],
    ['a wildcard topic', 'events.*', NO_HEADERS, 1n, TypeError],
    ['an uppercase correlation id', 't', { correlationId: CORRELATION_ID.toUpperCase() }, 1n, TypeError],
    ['a negative tsInit', 't', NO_HEADERS, -1n, RangeError],
    ['a number tsInit', 't', NO_HEADERS, 1 as unknown as bigint, RangeError],
  ])('rejects %s as a programmer mistake, without halting or submitting', (_case, topic, headers, tsInit, type) => {
    const { adapter, sink, halts } = setup();
    expect(() => adapter.capture(topic, sampleSubmit(), headers, tsInit)).toThrow(type);
    expect(sink.drafts).toHaveLength(0);
    expect(adapter.halted).toBe(false);
    expect(halts.calls).toHaveLength(0);
  });

  it('does not check the arguments of a message it does not record', () => {
    const { adapter } = setup();
    expect(adapter.capture('', new QuoteTick('X', '1', '2'), NO_HEADERS, -1n)).toBe(false);
  });

  it('requires a sink with submit and a halt callback', () => {
    expect(() => new BusCaptureAdapter({} as never, orderRegistry(), () => undefined)).toThrow(TypeError);
    expect(() => new BusCaptureAdapter(new RecordingSink(), orderRegistry(), undefined as never)).toThrow(TypeError);
  });
});
