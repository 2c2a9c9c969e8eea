/**
 * The registry audit: every state-affecting message class the kernel can emit is registered,
 * market data is not, and what a real run puts on the bus is all in the catalogue.
 */
import { decodeMsgpackPayload, msgpackEncoder } from '@tapelog/capture';
import { INDEX_KIND_CLIENT_ORDER_ID, INDEX_KIND_VENUE_ORDER_ID, isCanonicalUuid4 } from '@tapelog/core';
import { describe, expect, it } from 'vitest';
import { TradingKernel } from '../src/kernel.js';
import { KERNEL_MESSAGE_CATALOG, payloadTypeOf } from '../src/messages/catalog.js';
import { SubmitOrder } from '../src/messages/commands.js';
import { RequestData } from '../src/messages/data-commands.js';
import { QuoteTick } from '../src/messages/market-data.js';
import { OrderFilled } from '../src/messages/order-events.js';
import { PositionClosed } from '../src/messages/position-events.js';
import { OrderStatusReport } from '../src/messages/venue-reports.js';
import { buildKernelRegistry } from '../src/registry.js';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';

describe('buildKernelRegistry', () => {
  const registry = buildKernelRegistry();

  it('registers every state-affecting message class of the catalogue', () => {
    const missing = KERNEL_MESSAGE_CATALOG.filter((entry) => entry.stateAffecting && !registry.contains(entry.messageClass)).map(
      (entry) => entry.messageClass.name,
    );
    expect(missing).toEqual([]);
    expect(registry.size).toBe(KERNEL_MESSAGE_CATALOG.filter((entry) => entry.stateAffecting).length);
  });

  it('registers no market data', () => {
    const marketData = KERNEL_MESSAGE_CATALOG.filter((entry) => entry.category === 'market-data');
    expect(marketData.map((entry) => entry.messageClass.name).sort()).toEqual(['Bar', 'OrderBookDeltas', 'QuoteTick', 'TradeTick']);
    for (const entry of marketData) expect(registry.contains(entry.messageClass)).toBe(false);
    expect(registry.encode(new QuoteTick('AAPL.SIM', 1n, 2n, 3n, 4n, 5n, 5n))).toBeUndefined();
  });

  it('gives every catalogued class its own payload type', () => {
    const types = KERNEL_MESSAGE_CATALOG.map((entry) => entry.messageClass.payloadType);
    expect(new Set(types).size).toBe(types.length);
  });

  it('encodes a command with its client order id, intent correlation, cause and command identity', () => {
    const command = new SubmitOrder(A, B, C, 'T', 'S', 'AAPL.SIM', 'O-S-1', 'BUY', 'LIMIT', 10n, 19_000n, 'GTC', 7n);
    const encoded = registry.encode(command)!;
    expect(encoded.payloadType).toBe('SubmitOrder');
    expect(encoded.indexKeys).toEqual([{ kind: INDEX_KIND_CLIENT_ORDER_ID, key: 'O-S-1' }]);
    expect(decodeMsgpackPayload(encoded.payload)).toEqual({ ...command });
    expect(registry.headersFor(command)).toEqual({ correlationId: B, causationId: C });
    expect(registry.identityFor(command)).toBe(A);
  });

  it('indexes fills by client then venue order id', () => {
    const fill = new OrderFilled(A, B, C, 'T', 'S', 'AAPL.SIM', 'O-S-1', 'V-9', 'SIM-001', 'T-1', 'BUY', 'LIMIT', 5n, 19_000n, 3n, 'USD', 'TAKER', 1n, 1n);
    expect(registry.encode(fill)!.indexKeys).toEqual([
      { kind: INDEX_KIND_CLIENT_ORDER_ID, key: 'O-S-1' },
      { kind: INDEX_KIND_VENUE_ORDER_ID, key: 'V-9' },
    ]);
    expect(registry.identityFor(fill)).toBe(A);
  });

  it('indexes venue reports venue-first and gives them no identity', () => {
    const report = new OrderStatusReport(A, 'SIM-001', 'AAPL.SIM', 'O-S-1', 'V-9', 'BUY', 'LIMIT', 'GTC', 'ACCEPTED', 5n, 0n, 1n, 1n, 1n);
    expect(registry.encode(report)!.indexKeys.map((key) => key.kind)).toEqual([INDEX_KIND_VENUE_ORDER_ID, INDEX_KIND_CLIENT_ORDER_ID]);
    expect(registry.identityFor(report)).toBeUndefined();
  });

  it('indexes a closed position by its opening and closing orders, once when they are the same', () => {
    const closed = (closing: string) => new PositionClosed(A, B, C, 'T', 'S', 'AAPL.SIM', 'P', 'O-1', closing, 'FLAT', 0n, 0n, 5n, 1n, 1n, 1n);
    expect(registry.encode(closed('O-2'))!.indexKeys.map((key) => key.key)).toEqual(['O-1', 'O-2']);
    expect(registry.encode(closed('O-1'))!.indexKeys.map((key) => key.key)).toEqual(['O-1']);
  });

  it('correlates a request by its own request id', () => {
    expect(registry.headersFor(new RequestData(A, 'SIM', 'instrument', 'AAPL.SIM', undefined, 1n))).toEqual({ correlationId: A });
  });

  it('covers everything a real run puts on the bus, with valid headers', async () => {
    const kernel = new TradingKernel({ seed: 11n, instruments: 4 });
    const seen = new Map<string, unknown>();
    const note = (_where: string, message: unknown) => void seen.set(payloadTypeOf(message) ?? `foreign:${String(message)}`, message);
    kernel.bus.setTap({ onPublish: note, onSend: note, onResponse: note, onTimer: (event) => note('timer', event) });
    kernel.start();
    await kernel.runFor(90_000_000_000n);
    await kernel.stop();
    const catalogued = new Set(KERNEL_MESSAGE_CATALOG.map((entry) => entry.messageClass.payloadType));
    expect([...seen.keys()].filter((type) => !catalogued.has(type))).toEqual([]);
    for (const [type, message] of seen) {
      const entry = KERNEL_MESSAGE_CATALOG.find((candidate) => candidate.messageClass.payloadType === type)!;
      expect(registry.encode(message) !== undefined, type).toBe(entry.stateAffecting);
      const headers = registry.headersFor(message) ?? {};
      for (const id of [headers.correlationId, headers.causationId]) if (id !== undefined) expect(isCanonicalUuid4(id), type).toBe(true);
    }
    // A plain run exercises the whole catalogue but for rejections that need an unlucky race.
    const unseen = [...catalogued].filter((type) => !seen.has(type));
    expect(unseen.filter((type) => type !== 'OrderCancelRejected')).toEqual([]);
  });

  it('writes, with its compiled field lists, exactly the bytes of the generic field walk for every message of a real run', async () => {
    const compiled = buildKernelRegistry();
    const generic = msgpackEncoder();
    const kernel = new TradingKernel({ seed: 5n, instruments: 4 });
    const perType = new Map<string, number>();
    const mismatches: string[] = [];
    const check = (_where: string, message: unknown) => {
      const encoded = compiled.encode(message);
      if (encoded === undefined) return;
      perType.set(encoded.payloadType, (perType.get(encoded.payloadType) ?? 0) + 1);
      const expected = Buffer.from(generic(message).payload).toString('hex');
      if (Buffer.from(encoded.payload).toString('hex') !== expected) mismatches.push(encoded.payloadType);
    };
    kernel.bus.setTap({ onPublish: check, onSend: check, onResponse: check, onTimer: (event) => check('timer', event) });
    kernel.start();
    await kernel.runFor(30_000_000_000n);
    await kernel.stop();
    expect(mismatches).toEqual([]);
    expect(perType.size).toBeGreaterThan(10);
  });
});
