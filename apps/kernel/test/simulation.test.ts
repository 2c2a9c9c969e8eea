/**
 * The simulation end to end, captured through the real event-store tap into memory: determinism
 * of the seed, one entry per logical message across bus hops, no market data in the log, and
 * replay parity (entries applied to a fresh cache, with and without a snapshot, equal the live
 * cache), including a kernel continuing from a restored cache.
 */
import { decodeMsgpackPayload } from '@tapelog/capture';
import { type EventStoreEntry, isCanonicalUuid4, toHex } from '@tapelog/core';
import { describe, expect, it } from 'vitest';
import { KernelCache } from '../src/cache.js';
import { TradingKernel } from '../src/kernel.js';
import { payloadTypeOf } from '../src/messages/catalog.js';
import { replay, runCaptured } from './fixtures/captured-run.js';

const SECOND = 1_000_000_000n;

function fingerprint(entries: readonly EventStoreEntry[]): string[] {
  return entries.map((entry) => `${entry.seq}:${toHex(entry.entryHash)}`);
}

describe('a simulated run', () => {
  it('is reproduced message for message by the same seed, and differs with another seed', async () => {
    const busLog = async (seed: bigint) => {
      const kernel = new TradingKernel({ seed, instruments: 2 });
      const log: string[] = [];
      const note = (where: string, message: unknown) => log.push(`${kernel.clock.now()} ${where} ${payloadTypeOf(message)}`);
      kernel.bus.setTap({ onPublish: note, onSend: note, onResponse: note, onTimer: (event) => note('timer', event) });
      kernel.start();
      await kernel.runFor(10n * SECOND);
      await kernel.stop();
      return log;
    };
    const first = await busLog(5n);
    expect(first.length).toBeGreaterThan(1_000);
    expect(await busLog(5n)).toEqual(first);
    expect(await busLog(6n)).not.toEqual(first);
  });

  it('captures byte-identical entries for the same seed', async () => {
    const first = await runCaptured({ seed: 21n, duration: 15n * SECOND });
    const second = await runCaptured({ seed: 21n, duration: 15n * SECOND });
    expect(first.entries.length).toBeGreaterThan(1_000);
    expect(fingerprint(second.entries)).toEqual(fingerprint(first.entries));
    expect(first.logged).toEqual([]);
  });

  it('captures each logical message once, at its first boundary, and no market data', async () => {
    const { entries, kernel } = await runCaptured({ seed: 3n, duration: 20n * SECOND });
    const topicsOf = (payloadType: string) => new Set(entries.filter((entry) => entry.payloadType === payloadType).map((entry) => entry.topic));
    // Strategy → risk → execution: captured where the strategy sent it.
    expect(topicsOf('SubmitOrder')).toEqual(new Set(['RiskEngine.execute']));
    // Venue → execution engine → portfolio → strategy topic: captured on the first hop.
    expect(topicsOf('OrderFilled')).toEqual(new Set(['ExecEngine.process']));
    expect(topicsOf('AccountState')).toEqual(new Set(['Portfolio.update_account']));
    expect(topicsOf('QueryAccount')).toEqual(new Set(['RiskEngine.execute']));
    expect(topicsOf('InstrumentResponse')).toEqual(new Set(['data.response']));
    expect(topicsOf('TimeEvent')).toEqual(new Set(['clock.time_event']));
    expect([...topicsOf('OrderStatusReport')]).toEqual(['reconciliation.raw.OrderStatusReport']);
    const submits = entries.filter((entry) => entry.payloadType === 'SubmitOrder').length;
    expect(submits).toBe(kernel.cache.orderCount);
    expect(entries.filter((entry) => entry.payloadType === 'OrderFilled').length).toBe(kernel.cache.fillCount);
    for (const marketData of ['QuoteTick', 'TradeTick', 'OrderBookDeltas', 'Bar']) expect(topicsOf(marketData).size).toBe(0);
    for (const entry of entries) {
      for (const id of [entry.headers.correlationId, entry.headers.causationId]) if (id !== undefined) expect(isCanonicalUuid4(id)).toBe(true);
    }
  });

  it('trades for real: partial fills, denials, modifies, cancels and rejections all happen', async () => {
    const { entries, kernel } = await runCaptured({ seed: 8n, duration: 60n * SECOND });
    const count = (payloadType: string) => entries.filter((entry) => entry.payloadType === payloadType).length;
    for (const payloadType of [
      'OrderFilled',
      'OrderDenied',
      'ModifyOrder',
      'OrderUpdated',
      'OrderCanceled',
      'PositionOpened',
      'PositionClosed',
      'FillReport',
    ]) {
      expect(count(payloadType), payloadType).toBeGreaterThan(0);
    }
    // Partial fills: some orders were filled by more than one fill.
    const fillsPerOrder = new Map<string, number>();
    for (const entry of entries) {
      if (entry.payloadType !== 'OrderFilled') continue;
      const { clientOrderId } = decodeMsgpackPayload(entry.payload) as { clientOrderId: string };
      fillsPerOrder.set(clientOrderId, (fillsPerOrder.get(clientOrderId) ?? 0) + 1);
    }
    expect([...fillsPerOrder.values()].filter((fills) => fills > 1).length).toBeGreaterThan(0);
    // A clean stop cancels everything it left working.
    expect(kernel.cache.openOrderCount).toBe(0);
    expect(kernel.venue.restingOrderCount).toBe(0);
  });
});

describe('replay parity', () => {
  for (const seed of [1n, 2n, 3n, 4n, 5n]) {
    it(`restores the live cache from the entries of seed ${seed}, with and without a snapshot`, async () => {
      const { entries, snapshots, kernel } = await runCaptured({ seed, duration: 25n * SECOND, snapshotInterval: 7n * SECOND, stop: seed % 2n === 0n });
      const live = kernel.cache.snapshot();
      expect(replay(entries).snapshot()).toEqual(live);
      expect(snapshots.length).toBeGreaterThanOrEqual(3);
      for (const snapshot of snapshots) expect(replay(entries, snapshot).snapshot()).toEqual(live);
    });
  }

  it('continues from a restored cache with the same open orders, positions and balance', async () => {
    const first = await runCaptured({ seed: 9n, duration: 20n * SECOND, stop: false });
    const restored = replay(first.entries);
    const open = [...restored.openOrders()];
    const acknowledged = open.filter((order) => order.status === 'ACCEPTED' || order.status === 'PARTIALLY_FILLED').map((order) => order.clientOrderId);
    const unacknowledged = open.filter((order) => !acknowledged.includes(order.clientOrderId)).map((order) => order.clientOrderId);
    expect(acknowledged.length).toBeGreaterThan(0);
    const cash = restored.account('SIM-001')!.balances[0]!.total;
    expect(cash).toBe(first.kernel.cache.account('SIM-001')!.balances[0]!.total);
    const second = await runCaptured({ seed: 9n, cache: restored, duration: 10n * SECOND, stop: false });
    const decoded = (payloadType: string) =>
      second.entries.filter((entry) => entry.payloadType === payloadType).map((entry) => decodeMsgpackPayload(entry.payload) as Record<string, unknown>);
    // The venue still holds what it had acknowledged and reports it; what it never saw is rejected.
    const reportedAtRestart = decoded('OrderStatusReport')
      .filter((report) => report.tsInit === second.entries[0]!.tsInit)
      .map((report) => report.clientOrderId);
    expect(reportedAtRestart.sort()).toEqual([...acknowledged].sort());
    const rejectedAtRestart = decoded('OrderRejected')
      .filter((event) => event.reason === 'unknown at venue after restart')
      .map((event) => event.clientOrderId);
    expect(rejectedAtRestart.sort()).toEqual([...unacknowledged].sort());
    // The first account state of the continuation carries the predecessor's cash on.
    expect(decoded('AccountState')[0]!.balances).toMatchObject([{ currency: 'USD', total: cash }]);
    // Order ids continue after the predecessor's instead of colliding with them.
    const cache = second.kernel.cache;
    expect(cache.orderCount).toBeGreaterThan(first.kernel.cache.orderCount);
    expect(decoded('SubmitOrder').every((command) => first.kernel.cache.order(command.clientOrderId as string) === undefined)).toBe(true);
    // And the continuation itself replays: its entries over the restored state give its live cache.
    const again = new KernelCache();
    again.restoreSnapshot(replay(first.entries).snapshot());
    for (const entry of second.entries) again.applyEntry(entry);
    expect(again.snapshot()).toEqual(cache.snapshot());
  });
});
