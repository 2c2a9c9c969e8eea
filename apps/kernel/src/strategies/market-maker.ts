/**
 * A market maker: on every requote tick it keeps one bid and one ask around each instrument's mid,
 * skewed against its inventory. It submits missing quotes, modifies quotes the market has moved
 * away from, cancels the side that would grow an inventory past its limit, and sometimes hedges
 * with an immediate order.
 */
import { bookDeltasTopic, quoteTopic } from '../engines/data-engine.js';
import { InstrumentResponse } from '../messages/data-responses.js';
import type { QuoteTick } from '../messages/market-data.js';
import type { TimeEvent } from '../messages/time-event.js';
import type { OrderSide } from '../messages/vocabulary.js';
import { roundToTick } from '../money.js';
import { type Reason, Strategy, type StrategyContext } from './strategy.js';

const REQUOTE_INTERVAL = 200_000_000n;
const QUOTE_SIZE = 50n;
const MAX_INVENTORY = 300n;
const HALF_SPREAD_TICKS = 3n;
const REQUOTE_THRESHOLD_TICKS = 2n;

export class MarketMaker extends Strategy {
  readonly #timerName: string;
  readonly #quotes = new Map<string, QuoteTick>();
  readonly #ready = new Set<string>();
  bookUpdates = 0;

  constructor(strategyId: string, context: StrategyContext) {
    super(strategyId, context);
    this.#timerName = `${strategyId}.requote`;
  }

  start(): void {
    const { instruments, timers } = this.context;
    for (const instrument of instruments) {
      const id = instrument.instrumentId;
      // Quote only once the instrument definition came back: the request/response flow.
      this.request('instrument', id, undefined, (response) => {
        if (response instanceof InstrumentResponse) this.#ready.add(response.instrument.instrumentId);
      });
      this.subscribe('quotes', id, quoteTopic(id), (message) => this.#quotes.set(id, message as QuoteTick));
      this.subscribe('book_deltas', id, bookDeltasTopic(id), () => this.bookUpdates++);
    }
    timers.setTimer(this.#timerName, REQUOTE_INTERVAL, (event) => this.#requote(event));
  }

  stop(): void {
    this.context.timers.cancelTimer(this.#timerName);
    this.unsubscribeAll();
    const reason = this.newIntent(undefined);
    for (const instrument of this.context.instruments) this.cancelAll(instrument.instrumentId, reason);
  }

  #requote(event: TimeEvent): void {
    for (const instrument of this.context.instruments) {
      const id = instrument.instrumentId;
      const quote = this.#quotes.get(id);
      if (quote === undefined || !this.#ready.has(id)) continue;
      const reason = this.newIntent(event.eventId);
      const tick = instrument.tickSize;
      const mid = (quote.bidPrice + quote.askPrice) / 2n;
      const inventory = this.context.cache.position(this.strategyId, id)?.quantity ?? 0n;
      // Lean against inventory: one tick per 60 shares held.
      const skew = roundToTick(-(inventory * tick) / 60n, tick);
      this.#keepQuote(id, 'BUY', roundToTick(mid - HALF_SPREAD_TICKS * tick + skew, tick), inventory < MAX_INVENTORY, reason);
      this.#keepQuote(id, 'SELL', roundToTick(mid + HALF_SPREAD_TICKS * tick + skew, tick), inventory > -MAX_INVENTORY, reason);
      const absolute = inventory < 0n ? -inventory : inventory;
      if (absolute > MAX_INVENTORY / 2n && this.context.random.chance(1, 25)) {
        this.submit(id, inventory > 0n ? 'SELL' : 'BUY', 'MARKET', absolute / 2n, undefined, 'IOC', reason);
      }
    }
  }

  #keepQuote(instrumentId: string, side: OrderSide, target: bigint, wanted: boolean, reason: Reason): void {
    const tick = this.context.instruments.find((instrument) => instrument.instrumentId === instrumentId)!.tickSize;
    const existing = this.workingOrders(instrumentId).filter((order) => order.side === side && order.timeInForce === 'GTC');
    if (existing.length === 0) {
      if (wanted) this.submit(instrumentId, side, 'LIMIT', QUOTE_SIZE, target, 'GTC', reason);
      return;
    }
    for (const order of existing) {
      // Unacknowledged orders and orders with a pending change are left alone until answered.
      if (this.inFlight.has(order.clientOrderId) || (order.status !== 'ACCEPTED' && order.status !== 'PARTIALLY_FILLED')) continue;
      if (!wanted || order !== existing[0]) {
        this.cancel(order, reason);
        continue;
      }
      const distance = order.price! > target ? order.price! - target : target - order.price!;
      if (distance >= REQUOTE_THRESHOLD_TICKS * tick) {
        // Top the quote back up to full size when fills have eaten into it.
        const quantity = order.quantity - order.filledQuantity < QUOTE_SIZE / 2n ? order.filledQuantity + QUOTE_SIZE : undefined;
        this.modify(order, target, quantity, reason);
      }
    }
  }
}
