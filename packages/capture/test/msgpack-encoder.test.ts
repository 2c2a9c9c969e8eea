import { encode as encodeLibrary } from '@msgpack/msgpack';
import { INDEX_KIND_CLIENT_ORDER_ID } from '@tapelog/core';
import { describe, expect, it } from 'vitest';
import { decodeMsgpackPayload, msgpackEncoder } from '../src/msgpack-encoder.js';
import { orderFilledEncoder, sampleFill, sampleSubmit, submitOrderEncoder } from './fixtures/messages.js';

describe('msgpackEncoder', () => {
  it('round-trips an order event by field name, bigints included', () => {
    const fill = sampleFill();
    const encoded = orderFilledEncoder(fill);
    expect(decodeMsgpackPayload(encoded.payload)).toEqual({
      eventId: fill.eventId,
      clientOrderId: 'O-1',
      venueOrderId: 'V-9',
      lastQuantity: 100n,
      lastPrice: '101.25',
      tsEvent: 1_700_000_000_000_000_123n,
    });
    expect(encoded.indexKeys).toEqual([
      { kind: 'client_order_id', key: 'O-1' },
      { kind: 'venue_order_id', key: 'V-9' },
    ]);
    expect(encoded.payloadType).toBeUndefined();
  });

  it('round-trips a command and leaves absent optional fields out', () => {
    const command = sampleSubmit();
    const withoutCausation = { ...command, causationId: undefined };
    expect(decodeMsgpackPayload(submitOrderEncoder(command).payload)).toEqual({ ...command });
    const decoded = decodeMsgpackPayload(msgpackEncoder()(withoutCausation).payload) as Record<string, unknown>;
    expect('causationId' in decoded).toBe(false);
  });

  it('serializes the projection given by fields, and no keys when none are asked for', () => {
    const encode = msgpackEncoder<{ name: string; secret: string }>({ fields: (message) => ({ name: message.name }) });
    const encoded = encode({ name: 'timer-1', secret: 'not stored' });
    expect(decodeMsgpackPayload(encoded.payload)).toEqual({ name: 'timer-1' });
    expect(encoded.indexKeys).toEqual([]);
  });

  it('returns fresh payload bytes for every call, so a writer may keep them', () => {
    const encode = msgpackEncoder<{ id: string }>({ indexKeys: (message) => [{ kind: INDEX_KIND_CLIENT_ORDER_ID, key: message.id }] });
    const first = encode({ id: 'A' });
    const firstBytes = Uint8Array.from(first.payload);
    const second = encode({ id: 'B' });
    expect(first.payload).not.toBe(second.payload);
    expect(first.payload).toEqual(firstBytes);
    expect(decodeMsgpackPayload(first.payload)).toEqual({ id: 'A' });
    expect(decodeMsgpackPayload(second.payload)).toEqual({ id: 'B' });
    expect(first.indexKeys).not.toBe(second.indexKeys);
  });

  it('is deterministic: equal messages give equal bytes', () => {
    expect(orderFilledEncoder(sampleFill()).payload).toEqual(orderFilledEncoder(sampleFill()).payload);
  });

  describe('with fieldNames', () => {
    class Fill {
      constructor(
        readonly eventId: string,
        readonly causationId: string | undefined,
        readonly quantity: bigint,
        readonly price: number,
        readonly note: string,
        readonly tags: string[],
      ) {}
    }
    const fills = [
      new Fill('E-1', 'C-1', 100n, 101.25, 'plain', ['a']),
      new Fill('E-2', undefined, -(1n << 63n), -7, 'unicode: µs ✓', []),
      new Fill('E-3', 'C-3', (1n << 64n) - 1n, 2 ** 40, 'x'.repeat(300), ['b', 'c']),
    ];

    it('writes the same bytes as the generic walk, for a listed and a learned field list', () => {
      const generic = msgpackEncoder<Fill>();
      const listed = msgpackEncoder<Fill>({ fieldNames: ['eventId', 'causationId', 'quantity', 'price', 'note', 'tags'] });
      const learned = msgpackEncoder<Fill>({ fieldNames: 'fixed-shape' });
      for (const fill of fills) {
        const expected = Uint8Array.from(generic(fill).payload);
        expect(Uint8Array.from(listed(fill).payload)).toEqual(expected);
        expect(Uint8Array.from(learned(fill).payload)).toEqual(expected);
      }
      expect('causationId' in (decodeMsgpackPayload(listed(fills[1]!).payload) as object)).toBe(false);
    });

    it('stores only the listed fields, in the listed order', () => {
      const encode = msgpackEncoder<Fill>({ fieldNames: ['note', 'eventId'] });
      const decoded = decodeMsgpackPayload(encode(fills[0]!).payload) as Record<string, unknown>;
      expect(Object.keys(decoded)).toEqual(['note', 'eventId']);
      expect(decoded).toEqual({ note: 'plain', eventId: 'E-1' });
    });

    it('refuses what it cannot store, as the generic encoder does', () => {
      const encode = msgpackEncoder<{ id: string; big: bigint; map?: Map<string, number> }>({ fieldNames: ['id', 'big', 'map'] });
      expect(() => encode({ id: 'A', big: 1n << 64n })).toThrow(RangeError);
      expect(() => encode({ id: 'A', big: 1n, map: new Map() })).toThrow(TypeError);
      expect(decodeMsgpackPayload(encode({ id: 'A', big: 1n }).payload)).toEqual({ id: 'A', big: 1n });
    });

    it('hands values it does not cover (a Date) to the library, with the same bytes', () => {
      const at = new Date(1_700_000_000_000);
      const encode = msgpackEncoder<{ id: string; at: Date }>({ fieldNames: ['id', 'at'] });
      expect(Uint8Array.from(encode({ id: 'A', at }).payload)).toEqual(Uint8Array.from(msgpackEncoder()({ id: 'A', at }).payload));
    });

    it("writes the library's map header when absent fields take the count below a header width", () => {
      // 17 listed fields need a 3-byte map header; with two absent, 15 need a 1-byte one.
      for (const listed of [15, 16, 17, 18]) {
        const names = Array.from({ length: listed }, (_, i) => `f${i}`);
        const full: Record<string, unknown> = Object.fromEntries(names.map((name, i) => [name, i]));
        const encode = msgpackEncoder<Record<string, unknown>>({ fieldNames: names });
        for (const absent of [0, 1, 2]) {
          const message = { ...full };
          for (let i = 0; i < absent; i++) message[names[i * 3]!] = undefined;
          const expected = encodeLibrary(message, { useBigInt64: true, ignoreUndefined: true });
          expect(Uint8Array.from(encode(message).payload)).toEqual(expected);
        }
      }
    });

    it('rejects a bad field list and fields together with fieldNames', () => {
      expect(() => msgpackEncoder({ fieldNames: 'shape' as never })).toThrow(TypeError);
      expect(() => msgpackEncoder({ fieldNames: [1 as never] })).toThrow(TypeError);
      expect(() => msgpackEncoder({ fieldNames: ['a'], fields: (message) => message })).toThrow(TypeError);
    });
  });
});
