import { INDEX_KIND_CLIENT_ORDER_ID, TapelogError } from '@tapelog/core';
import { describe, expect, it } from 'vitest';
import { EncodeError } from '../src/errors.js';
import { EncoderRegistry } from '../src/registry.js';
import {
  CAUSATION_ID,
  CORRELATION_ID,
  EVENT_ID,
  ExternalOrderFilled,
  OrderEventEnvelope,
  OrderFilled,
  orderFilledEncoder,
  orderRegistry,
  QuoteTick,
  RejectedMessage,
  SubmitOrder,
  sampleFill,
  sampleSubmit,
} from './fixtures/messages.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

class Plain {
  constructor(readonly id: string) {}
}

describe('EncoderRegistry lookup', () => {
  it('is empty by default and returns undefined for an unknown type', () => {
    const registry = new EncoderRegistry();
    expect(registry.size).toBe(0);
    expect(registry.contains(Plain)).toBe(false);
    expect(registry.encode(new Plain('x'))).toBeUndefined();
  });

  it('returns the registered payload type, payload and index keys', () => {
    const registry = new EncoderRegistry();
    registry.register(Plain, 'Plain', (message) => ({ payload: bytes(1, 2), indexKeys: [{ kind: INDEX_KIND_CLIENT_ORDER_ID, key: message.id }] }));
    expect(registry.contains(Plain)).toBe(true);
    expect(registry.size).toBe(1);
    expect(registry.encode(new Plain('CLI-7'))).toEqual({
      payloadType: 'Plain',
      payload: bytes(1, 2),
      indexKeys: [{ kind: INDEX_KIND_CLIENT_ORDER_ID, key: 'CLI-7' }],
    });
  });

  it('matches the exact class only, never a subclass through the prototype chain', () => {
    const registry = orderRegistry();
    const sub = new ExternalOrderFilled(EVENT_ID, 'O-1', 'V-1', 1n, '1', 1n);
    expect(registry.encode(sub)).toBeUndefined();
    expect(registry.identityFor(sub)).toBeUndefined();
    expect(registry.headersFor(sub)).toBeUndefined();
    expect(registry.contains(ExternalOrderFilled)).toBe(false);
  });

  it('matches plain-object messages by their string tag in message.type', () => {
    const registry = new EncoderRegistry();
    registry.register<{ type: string; n: number }>('Tagged', 'TaggedPayload', (message) => ({ payload: bytes(message.n), indexKeys: [] }));
    expect(registry.contains('Tagged')).toBe(true);
    expect(registry.encode({ type: 'Tagged', n: 5 })).toEqual({ payloadType: 'TaggedPayload', payload: bytes(5), indexKeys: [] });
    expect(registry.encode({ type: 'Other', n: 5 })).toBeUndefined();
    expect(registry.encode({ n: 5 })).toBeUndefined();
    expect(registry.encode('Tagged')).toBeUndefined();
    expect(registry.encode(null)).toBeUndefined();
  });

  it('prefers the exact class over the string tag', () => {
    class Tagged {
      readonly type = 'Tagged';
    }
    const registry = new EncoderRegistry();
    registry.register('Tagged', 'ByTag', () => ({ payload: bytes(1), indexKeys: [] }));
    registry.register(Tagged, 'ByClass', () => ({ payload: bytes(2), indexKeys: [] }));
    expect(registry.encode(new Tagged())?.payloadType).toBe('ByClass');
    expect(registry.encode({ type: 'Tagged' })?.payloadType).toBe('ByTag');
    expect(registry.size).toBe(2);
  });

  it('uses the encoder payload type override over the registered one', () => {
    const registry = new EncoderRegistry();
    registry.register(Plain, 'Wrapper', () => ({ payload: bytes(9), indexKeys: [], payloadType: 'Inner' }));
    expect(registry.encode(new Plain('x'))?.payloadType).toBe('Inner');
  });
});

describe('EncoderRegistry re-registration', () => {
  it('replaces the payload type and encoder and keeps the size', () => {
    const registry = new EncoderRegistry();
    registry.register(Plain, 'Old', () => ({ payload: bytes(1), indexKeys: [] }));
    registry.register(Plain, 'New', () => ({ payload: bytes(3, 3), indexKeys: [] }));
    expect(registry.size).toBe(1);
    expect(registry.encode(new Plain('x'))).toEqual({ payloadType: 'New', payload: bytes(3, 3), indexKeys: [] });
  });

  it('keeps the existing headers and identity extractors when none are given', () => {
    const registry = orderRegistry();
    registry.register(SubmitOrder, 'SubmitOrderV2', () => ({ payload: bytes(7), indexKeys: [] }));
    const command = sampleSubmit();
    expect(registry.encode(command)?.payloadType).toBe('SubmitOrderV2');
    expect(registry.headersFor(command)).toEqual({ correlationId: CORRELATION_ID, causationId: CAUSATION_ID });
    expect(registry.identityFor(command)).toBe(command.commandId);
  });

  it('replaces only the extractors that are given', () => {
    const registry = orderRegistry();
    registry.register(SubmitOrder, 'SubmitOrder', () => ({ payload: bytes(7), indexKeys: [] }), { identity: (command) => command.clientOrderId });
    const command = sampleSubmit();
    expect(registry.identityFor(command)).toBe('O-1');
    expect(registry.headersFor(command)).toEqual({ correlationId: CORRELATION_ID, causationId: CAUSATION_ID });
  });

  it('drops an envelope registration when the key is re-registered with an encoder, and back', () => {
    const registry = orderRegistry();
    registry.register(OrderEventEnvelope, 'OrderEventAny', () => ({ payload: bytes(1), indexKeys: [] }));
    expect(registry.encode(new OrderEventEnvelope(sampleFill()))?.payloadType).toBe('OrderEventAny');
    registry.registerEnvelope(OrderEventEnvelope, (envelope) => envelope.event);
    expect(registry.encode(new OrderEventEnvelope(sampleFill()))?.payloadType).toBe('OrderFilled');
    expect(registry.size).toBe(4);
  });
});

describe('EncoderRegistry headers and identity', () => {
  it('gives undefined headers for an unregistered type and empty headers without an extractor', () => {
    const registry = orderRegistry();
    expect(registry.headersFor(new QuoteTick('X', '1', '2'))).toBeUndefined();
    expect(registry.headersFor(sampleFill())).toEqual({});
  });

  it('returns the extracted correlation and causation ids unswapped', () => {
    expect(orderRegistry().headersFor(sampleSubmit())).toEqual({ correlationId: CORRELATION_ID, causationId: CAUSATION_ID });
  });

  it.each([
    ['uppercase', CORRELATION_ID.toUpperCase()],
    ['not version 4', '3f1c2a9e-5b7d-1e21-8c4f-0a1b2c3d4e5f'],
    ['not a uuid', 'abc'],
  ])('rejects a %s correlation id with EncodeError', (_case, correlationId) => {
    const registry = orderRegistry();
    const command = new SubmitOrder(EVENT_ID, 'O-1', 1n, correlationId);
    expect(() => registry.headersFor(command)).toThrow(EncodeError);
  });

  it('still rejects a malformed id right after valid ones, and accepts a valid id seen before', () => {
    const registry = orderRegistry();
    const valid = () => new SubmitOrder(EVENT_ID, 'O-1', 1n, CORRELATION_ID);
    expect(registry.headersFor(valid())).toMatchObject({ correlationId: CORRELATION_ID });
    for (const malformed of [CORRELATION_ID.toUpperCase(), `${CORRELATION_ID.slice(0, 35)}g`, 'abc']) {
      expect(() => registry.headersFor(new SubmitOrder(EVENT_ID, 'O-1', 1n, malformed))).toThrow(EncodeError);
      expect(registry.headersFor(valid())).toMatchObject({ correlationId: CORRELATION_ID });
    }
  });

  it('wraps a throwing headers extractor in EncodeError', () => {
    const registry = new EncoderRegistry();
    registry.register(Plain, 'Plain', () => ({ payload: bytes(1), indexKeys: [] }), {
      headers: () => {
        throw new Error('no headers here');
      },
    });
    expect(() => registry.headersFor(new Plain('x'))).toThrow(expect.objectContaining({ code: 'ENCODE' }));
  });

  it('gives no identity without an extractor, for an unregistered type, or when the extractor finds none', () => {
    const registry = orderRegistry();
    registry.register(Plain, 'Plain', () => ({ payload: bytes(1), indexKeys: [] }), { identity: () => undefined });
    expect(registry.identityFor(new RejectedMessage())).toBeUndefined();
    expect(registry.identityFor(new QuoteTick('X', '1', '2'))).toBeUndefined();
    expect(registry.identityFor(new Plain('x'))).toBeUndefined();
    expect(registry.identityFor(sampleFill())).toBe(EVENT_ID);
  });

  it('rejects an identity that is not a non-empty string', () => {
    const registry = new EncoderRegistry();
    registry.register(Plain, 'Plain', () => ({ payload: bytes(1), indexKeys: [] }), { identity: () => 42 as unknown as string });
    expect(() => registry.identityFor(new Plain('x'))).toThrow(EncodeError);
  });
});

describe('EncoderRegistry envelopes', () => {
  it('stamps the inner payload type and gives the bare bytes, keys, headers and identity', () => {
    const registry = orderRegistry();
    const fill = sampleFill();
    const bare = registry.encode(fill);
    const wrapped = registry.encode(new OrderEventEnvelope(fill));
    expect(wrapped).toEqual(bare);
    expect(wrapped?.payloadType).toBe('OrderFilled');
    expect(registry.identityFor(new OrderEventEnvelope(fill))).toBe(EVENT_ID);
    const command = sampleSubmit();
    expect(registry.headersFor(new OrderEventEnvelope(command))).toEqual(registry.headersFor(command));
    expect(registry.contains(OrderEventEnvelope)).toBe(true);
  });

  it('does not capture a variant the unwrap declines', () => {
    const registry = orderRegistry();
    const envelope = new OrderEventEnvelope(undefined);
    expect(registry.encode(envelope)).toBeUndefined();
    expect(registry.headersFor(envelope)).toBeUndefined();
    expect(registry.identityFor(envelope)).toBeUndefined();
  });

  it('fails with EncodeError when the inner message type is not registered', () => {
    const registry = orderRegistry();
    const envelope = new OrderEventEnvelope(new QuoteTick('X', '1', '2'));
    expect(() => registry.encode(envelope)).toThrow(expect.objectContaining({ code: 'ENCODE' }));
    // Headers stay quiet: the capture of the same message reports the failure once.
    expect(registry.headersFor(envelope)).toBeUndefined();
  });

  it('follows nested envelopes and stops a cycle with EncodeError', () => {
    class Outer {
      constructor(readonly inner: unknown) {}
    }
    const registry = orderRegistry();
    registry.registerEnvelope(Outer, (outer) => outer.inner);
    expect(registry.encode(new Outer(new OrderEventEnvelope(sampleFill())))?.payloadType).toBe('OrderFilled');
    class Loop {}
    registry.registerEnvelope(Loop, (loop) => loop);
    expect(() => registry.encode(new Loop())).toThrow(expect.objectContaining({ code: 'ENCODE' }));
  });
});

describe('EncoderRegistry encoder failures', () => {
  it('wraps a throwing encoder in EncodeError with code ENCODE, the payload type and the cause', () => {
    const registry = orderRegistry();
    let thrown: unknown;
    try {
      registry.encode(new RejectedMessage());
    } catch (error) {
      thrown = error;
    }
    expect(TapelogError.hasCode(thrown, 'ENCODE')).toBe(true);
    expect(thrown).toBeInstanceOf(EncodeError);
    expect((thrown as EncodeError).payloadType).toBe('RejectedMessage');
    expect((thrown as Error).message).toMatch(/^encode failure \(RejectedMessage\): the encoder threw: encoder rejected message/);
    expect(((thrown as Error).cause as Error).message).toBe('encoder rejected message');
  });

  it.each([
    ['a non-object result', () => null],
    ['a payload that is not bytes', () => ({ payload: [1, 2], indexKeys: [] })],
    ['missing index keys', () => ({ payload: bytes(1) })],
    ['an index key with an invalid kind', () => ({ payload: bytes(1), indexKeys: [{ kind: 'Client-Order', key: 'O-1' }] })],
    ['an index key with a non-string key', () => ({ payload: bytes(1), indexKeys: [{ kind: 'client_order_id', key: 7 }] })],
    ['an empty payload type override', () => ({ payload: bytes(1), indexKeys: [], payloadType: '' })],
  ])('rejects %s with EncodeError', (_case, encode) => {
    const registry = new EncoderRegistry();
    registry.register(Plain, 'Plain', encode as never);
    expect(() => registry.encode(new Plain('x'))).toThrow(EncodeError);
  });

  it('accepts any index kind matching the backend pattern', () => {
    const registry = new EncoderRegistry();
    registry.register(Plain, 'Plain', () => ({ payload: bytes(1), indexKeys: [{ kind: 'position_id', key: 'P-1' }] }));
    expect(registry.encode(new Plain('x'))?.indexKeys).toEqual([{ kind: 'position_id', key: 'P-1' }]);
  });
});

describe('EncoderRegistry registration arguments', () => {
  it('rejects type keys that cannot be matched exactly', () => {
    const registry = new EncoderRegistry();
    const encode = () => ({ payload: bytes(1), indexKeys: [] });
    expect(() => registry.register(Object, 'Anything', encode)).toThrow(TypeError);
    expect(() => registry.register((() => undefined) as never, 'Arrow', encode)).toThrow(TypeError);
    expect(() => registry.register('', 'Empty', encode)).toThrow(TypeError);
    expect(() => registry.register(42 as never, 'Number', encode)).toThrow(TypeError);
    expect(registry.size).toBe(0);
  });

  it('rejects an empty payload type and non-function encoders and extractors', () => {
    const registry = new EncoderRegistry();
    expect(() => registry.register(Plain, '', orderFilledEncoder as never)).toThrow(TypeError);
    expect(() => registry.register(Plain, 'Plain', 'encode' as never)).toThrow(TypeError);
    expect(() => registry.register(Plain, 'Plain', orderFilledEncoder as never, { identity: 'id' as never })).toThrow(TypeError);
    expect(() => registry.registerEnvelope(Plain, 'unwrap' as never)).toThrow(TypeError);
    expect(registry.contains(Plain)).toBe(false);
    expect(registry.contains(OrderFilled)).toBe(false);
  });
});
