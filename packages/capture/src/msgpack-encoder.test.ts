import { INDEX_KIND_CLIENT_ORDER_ID } from '@tapelog/core';
import { describe, expect, it } from 'vitest';
import { orderFilledEncoder, sampleFill, sampleSubmit, submitOrderEncoder } from './__fixtures__/messages.js';
import { decodeMsgpackPayload, msgpackEncoder } from './msgpack-encoder.js';

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
});
