import { buildEntry, type EntryDraft } from '@tapelog/core';
import { describe, expect, it } from 'vitest';
import { KernelCache } from '../src/cache.js';
import { AccountState } from '../src/messages/account-state.js';
import { CancelOrder, SubmitOrder } from '../src/messages/commands.js';
import { OrderAccepted, OrderFilled, OrderSubmitted, OrderUpdated } from '../src/messages/order-events.js';
import { PositionOpened } from '../src/messages/position-events.js';
import { buildKernelRegistry } from '../src/registry.js';

const INTENT = '11111111-1111-4111-8111-111111111111';
const CAUSE = '22222222-2222-4222-8222-222222222222';
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

function lifeOfAnOrder(clientOrderId: string, base: number) {
  return [
    new SubmitOrder(uuid(base), INTENT, CAUSE, 'T', 'S', 'AAPL.SIM', clientOrderId, 'BUY', 'LIMIT', 100n, 19_000n, 'GTC', 1n),
    new OrderSubmitted(uuid(base + 1), INTENT, uuid(base), 'T', 'S', 'AAPL.SIM', clientOrderId, 'SIM-001', 2n, 2n),
    new OrderAccepted(uuid(base + 2), INTENT, uuid(base), 'T', 'S', 'AAPL.SIM', clientOrderId, `V-${base}`, 'SIM-001', 3n, 3n),
    new OrderUpdated(uuid(base + 3), INTENT, CAUSE, 'T', 'S', 'AAPL.SIM', clientOrderId, `V-${base}`, 120n, 19_010n, 4n, 4n),
    new OrderFilled(
      uuid(base + 4),
      INTENT,
      uuid(base),
      'T',
      'S',
      'AAPL.SIM',
      clientOrderId,
      `V-${base}`,
      'SIM-001',
      `T-${base}`,
      'BUY',
      'LIMIT',
      50n,
      19_010n,
      95n,
      'USD',
      'MAKER',
      5n,
      5n,
    ),
  ];
}

describe('KernelCache', () => {
  it('follows an order from submit to partial fill', () => {
    const cache = new KernelCache();
    for (const message of lifeOfAnOrder('O-1', 10)) expect(cache.applyMessage(message)).toBe(true);
    const order = cache.order('O-1')!;
    expect(order).toMatchObject({
      status: 'PARTIALLY_FILLED',
      venueOrderId: 'V-10',
      quantity: 120n,
      price: 19_010n,
      filledQuantity: 50n,
      filledNotional: 950_500n,
      commissions: 95n,
      tsLastEvent: 5n,
    });
    expect(cache.openOrdersOf('S', 'AAPL.SIM')).toEqual([order]);
    expect(cache.fillCount).toBe(1);
    expect(cache.lastTsInit).toBe(5n);
  });

  it('drops terminal orders from the open set and ignores events of unknown orders', () => {
    const cache = new KernelCache();
    cache.applyMessage(lifeOfAnOrder('O-1', 10)[0]!);
    cache.apply('OrderCanceled', { clientOrderId: 'O-1', tsInit: 9n });
    expect(cache.order('O-1')!.status).toBe('CANCELED');
    expect(cache.openOrderCount).toBe(0);
    expect(cache.apply('OrderCanceled', { clientOrderId: 'O-404', tsInit: 9n })).toBe(false);
  });

  it('changes nothing for commands that only request a change', () => {
    const cache = new KernelCache();
    const before = cache.snapshot();
    expect(cache.applyMessage(new CancelOrder(uuid(1), INTENT, undefined, 'T', 'S', 'AAPL.SIM', 'O-1', undefined, 1n))).toBe(false);
    expect(cache.snapshot()).toEqual(before);
  });

  it('takes positions and balances whole from their events', () => {
    const cache = new KernelCache();
    cache.applyMessage(
      new PositionOpened(uuid(1), INTENT, uuid(2), 'T', 'S', 'AAPL.SIM', 'AAPL.SIM-S', 'O-1', undefined, 'LONG', 50n, 950_500n, -95n, 19_010n, 5n, 5n),
    );
    cache.applyMessage(
      new AccountState(uuid(3), undefined, undefined, 'SIM-001', 'CASH', 'USD', [{ currency: 'USD', total: 99n, locked: 9n, free: 90n }], false, 6n, 6n),
    );
    expect(cache.position('S', 'AAPL.SIM')).toMatchObject({ quantity: 50n, costBasis: 950_500n, realizedPnl: -95n, side: 'LONG' });
    expect(cache.account('SIM-001')!.balances).toEqual([{ currency: 'USD', total: 99n, locked: 9n, free: 90n }]);
  });

  it('writes equal snapshots for equal state, whatever order it was built in', () => {
    const first = new KernelCache();
    const second = new KernelCache();
    for (const message of [...lifeOfAnOrder('O-1', 10), ...lifeOfAnOrder('O-2', 20)]) first.applyMessage(message);
    for (const message of [...lifeOfAnOrder('O-2', 20), ...lifeOfAnOrder('O-1', 10)]) second.applyMessage(message);
    expect(second.snapshot()).toEqual(first.snapshot());
  });

  it('snapshots every change to an order made since the last snapshot, as a cache that took no snapshot before', () => {
    const messages = [...lifeOfAnOrder('O-1', 10), ...lifeOfAnOrder('O-2', 20)];
    const builtFrom = (count: number): KernelCache => {
      const cache = new KernelCache();
      for (const message of messages.slice(0, count)) cache.applyMessage(message);
      return cache;
    };
    const snapshotting = new KernelCache();
    for (let i = 0; i < messages.length; i++) {
      snapshotting.applyMessage(messages[i]!);
      expect(snapshotting.snapshot()).toEqual(builtFrom(i + 1).snapshot());
    }
    snapshotting.apply('OrderCanceled', { clientOrderId: 'O-1', tsInit: 9n });
    const canceled = builtFrom(messages.length);
    canceled.apply('OrderCanceled', { clientOrderId: 'O-1', tsInit: 9n });
    expect(snapshotting.snapshot()).toEqual(canceled.snapshot());
    const restored = builtFrom(3);
    restored.snapshot();
    restored.restoreSnapshot(snapshotting.snapshot());
    expect(restored.snapshot()).toEqual(canceled.snapshot());
  });

  it('restores exactly what it snapshotted', () => {
    const cache = new KernelCache();
    for (const message of lifeOfAnOrder('O-1', 10)) cache.applyMessage(message);
    const restored = new KernelCache();
    restored.restoreSnapshot(cache.snapshot());
    expect(restored.snapshot()).toEqual(cache.snapshot());
    expect(restored.order('O-1')).toEqual(cache.order('O-1'));
    expect(restored.openOrderCount).toBe(1);
    expect(() => restored.restoreSnapshot(new Uint8Array([0xc0]))).toThrow(TypeError);
  });

  it('applies captured entries exactly as it applies the live messages', () => {
    const registry = buildKernelRegistry();
    const live = new KernelCache();
    const replayed = new KernelCache();
    lifeOfAnOrder('O-1', 10).forEach((message, index) => {
      live.applyMessage(message);
      const encoded = registry.encode(message)!;
      const draft: EntryDraft = {
        headers: {},
        topic: 'test',
        payloadType: encoded.payloadType,
        payload: encoded.payload,
        tsInit: 1n,
        indexKeys: encoded.indexKeys,
      };
      expect(replayed.applyEntry(buildEntry(draft, index + 1, 1n))).toBe(true);
    });
    expect(replayed.snapshot()).toEqual(live.snapshot());
    expect(
      replayed.applyEntry(buildEntry({ headers: {}, topic: 't', payloadType: 'TimeEvent', payload: new Uint8Array([0x80]), tsInit: 1n, indexKeys: [] }, 9, 1n)),
    ).toBe(false);
  });
});
