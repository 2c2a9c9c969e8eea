/**
 * A momentum trader: compares a fast and a slow moving average of one-second bar closes and
 * trades toward a target position when they cross, with a market order, a fill-or-kill limit or
 * a resting limit it later chases (modify) or gives up on (cancel). Sizes scale with conviction,
 * so some orders break the risk limits and are denied. Every few seconds it re-syncs its bar
 * history with a bars request.
 */
import { barTopic, tradeTopic } from '../engines/data-engine.js';
import { BarsResponse } from '../messages/data-responses.js';
import type { Bar, TradeTick } from '../messages/market-data.js';
import type { OrderEvent } from '../messages/order-events.js';
import type { TimeEvent } from '../messages/time-event.js';
import { Strategy, type StrategyContext } from './strategy.js';

const FAST = 4;
const SLOW = 12;
const BASE_SIZE = 120n;
const STALE_CHECK_INTERVAL = 1_000_000_000n;
const STALE_AFTER = 3_000_000_000n;
const RESYNC_INTERVAL = 15_000_000_000n;

export class MomentumTrader extends Strategy {
  readonly #closes = new Map<string, bigint[]>();
  readonly #lastTrade = new Map<string, bigint>();
  readonly #target = new Map<string, bigint>();
  trades = 0;

  constructor(strategyId: string, context: StrategyContext) {
    super(strategyId, context);
  }

  start(): void {
    const { instruments, timers } = this.context;
    for (const instrument of instruments) {
      const id = instrument.instrumentId;
      this.#closes.set(id, []);
      this.subscribe('bars', id, barTopic(id), (message) => this.#onBar(message as Bar));
      this.subscribe('trades', id, tradeTopic(id), (message) => {
        this.trades++;
        this.#lastTrade.set(id, (message as TradeTick).price);
      });
    }
    timers.setTimer(`${this.strategyId}.stale-check`, STALE_CHECK_INTERVAL, (event) => this.#chaseOrCancel(event));
    timers.setTimer(`${this.strategyId}.resync`, RESYNC_INTERVAL, () => this.#resync());
  }

  stop(): void {
    this.context.timers.cancelTimer(`${this.strategyId}.stale-check`);
    this.context.timers.cancelTimer(`${this.strategyId}.resync`);
    this.unsubscribeAll();
    const reason = this.newIntent(undefined);
    for (const instrument of this.context.instruments) this.cancelAll(instrument.instrumentId, reason);
  }

  protected override onOrderEvent(_event: OrderEvent): void {}

  #resync(): void {
    for (const instrument of this.context.instruments) {
      const id = instrument.instrumentId;
      this.request('bars', id, SLOW, (response) => {
        if (response instanceof BarsResponse)
          this.#closes.set(
            id,
            response.bars.map((bar) => bar.close),
          );
      });
    }
  }

  #onBar(bar: Bar): void {
    const closes = this.#closes.get(bar.instrumentId)!;
    closes.push(bar.close);
    if (closes.length > SLOW) closes.shift();
    if (closes.length < SLOW) return;
    const fastSum = closes.slice(-FAST).reduce((sum, close) => sum + close, 0n);
    const slowSum = closes.reduce((sum, close) => sum + close, 0n);
    // Compare fast/FAST with slow/SLOW without dividing: exact on integers.
    const difference = fastSum * BigInt(SLOW) - slowSum * BigInt(FAST);
    const scale = slowSum / 2_000n; // half a basis point of the average, times FAST·SLOW/SLOW
    const conviction = scale === 0n ? 0n : difference / scale;
    const direction = conviction > 2n ? 1n : conviction < -2n ? -1n : 0n;
    const magnitude = conviction < 0n ? -conviction : conviction;
    const size = BASE_SIZE * (magnitude > 6n ? 3n : magnitude > 4n ? 2n : 1n);
    const target = direction * size;
    if (target === (this.#target.get(bar.instrumentId) ?? 0n)) return;
    this.#target.set(bar.instrumentId, target);
    const held = this.context.cache.position(this.strategyId, bar.instrumentId)?.quantity ?? 0n;
    const delta = target - held;
    if (delta === 0n) return;
    const reason = this.newIntent(undefined);
    const side = delta > 0n ? 'BUY' : 'SELL';
    const quantity = delta < 0n ? -delta : delta;
    const last = this.#lastTrade.get(bar.instrumentId) ?? bar.close;
    switch (this.context.random.nextInt(3)) {
      case 0:
        this.submit(bar.instrumentId, side, 'MARKET', quantity, undefined, 'IOC', reason);
        break;
      case 1:
        this.submit(bar.instrumentId, side, 'LIMIT', quantity, side === 'BUY' ? last + 2n : last - 2n, 'FOK', reason);
        break;
      default:
        this.submit(bar.instrumentId, side, 'LIMIT', quantity, side === 'BUY' ? last - 3n : last + 3n, 'GTC', reason);
        break;
    }
  }

  /** Resting orders older than a few seconds are chased to the last trade once, then canceled. */
  #chaseOrCancel(event: TimeEvent): void {
    const now = this.now();
    for (const instrument of this.context.instruments) {
      const last = this.#lastTrade.get(instrument.instrumentId);
      for (const order of this.workingOrders(instrument.instrumentId)) {
        if (this.inFlight.has(order.clientOrderId) || (order.status !== 'ACCEPTED' && order.status !== 'PARTIALLY_FILLED')) continue;
        if (now - order.tsLastEvent < STALE_AFTER) continue;
        const reason = { intentId: order.correlationId, causationId: event.eventId };
        if (last !== undefined && order.price !== last && this.context.random.chance(1, 2)) this.modify(order, last, undefined, reason);
        else this.cancel(order, reason);
      }
    }
  }
}
