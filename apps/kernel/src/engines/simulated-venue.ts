/**
 * The simulated venue: accepts or rejects orders, matches them against the generated book (taker
 * fills walking the levels, resting orders filled as the market trades through them, partial
 * fills), keeps the cash account, and answers after a seeded latency with order events, raw
 * venue reports and account states, in the order it produced them.
 */

import type { KernelCache } from '../cache.js';
import { ACCOUNT_CURRENCY, ACCOUNT_ID, type Instrument } from '../domain/instruments.js';
import type { EventLoop } from '../event-loop.js';
import { type IdGenerator, SequentialIds } from '../id-generator.js';
import type { MessageBus } from '../message-bus.js';
import { AccountState } from '../messages/account-state.js';
import { payloadTypeOf } from '../messages/catalog.js';
import { CancelAllOrders, CancelOrder, ModifyOrder, type QueryAccount, SubmitOrder } from '../messages/commands.js';
import { OrderAccepted, OrderCanceled, OrderCancelRejected, OrderFilled, OrderModifyRejected, OrderRejected, OrderUpdated } from '../messages/order-events.js';
import { FillReport, OrderStatusReport } from '../messages/venue-reports.js';
import type { LiquiditySide, OrderSide, OrderStatus, OrderType, TimeInForce } from '../messages/vocabulary.js';
import { feeOnNotional } from '../money.js';
import type { SeededRandom } from '../random.js';
import type { MarketDataGenerator, MarketUpdate } from './market-data-generator.js';

export const EXECUTION_ENGINE_PROCESS = 'ExecEngine.process';
export const PORTFOLIO_UPDATE_ACCOUNT = 'Portfolio.update_account';
export const accountTopic = (accountId: string) => `events.account.${accountId}`;
export const rawReportTopic = (reportType: string) => `reconciliation.raw.${reportType}`;
export const INITIAL_BALANCE = 100_000_000n; // 1,000,000.00 USD

interface VenueOrder {
  readonly traderId: string;
  readonly strategyId: string;
  readonly instrumentId: string;
  readonly clientOrderId: string;
  readonly venueOrderId: string;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly timeInForce: TimeInForce;
  quantity: bigint;
  filled: bigint;
  price: bigint | undefined;
  readonly correlationId: string;
  /** The SubmitOrder that created it: the cause of fills the market brings later. */
  readonly submitCommandId: string;
}

interface Cause {
  correlationId: string;
  causationId: string;
}

export interface SimulatedVenueOptions {
  bus: MessageBus;
  loop: EventLoop;
  ids: IdGenerator;
  random: SeededRandom;
  generator: MarketDataGenerator;
  instruments: readonly Instrument[];
}

export class SimulatedVenue {
  readonly #options: SimulatedVenueOptions;
  readonly #instruments = new Map<string, Instrument>();
  readonly #resting = new Map<string, VenueOrder[]>();
  readonly #byClientOrderId = new Map<string, VenueOrder>();
  /** Liquidity our taker orders already took from each price level since the book last moved. */
  readonly #consumed = new Map<string, Map<bigint, bigint>>();
  readonly #venueOrderIds = new SequentialIds('V');
  readonly #tradeIds = new SequentialIds('T');
  #balance = INITIAL_BALANCE;
  /** Outbound messages are delivered in production order, never overtaking each other. */
  #lastDelivery = 0n;
  #lastArrival = 0n;
  #outbox: object[] = [];

  constructor(options: SimulatedVenueOptions) {
    this.#options = options;
    for (const instrument of options.instruments) {
      this.#instruments.set(instrument.instrumentId, instrument);
      this.#resting.set(instrument.instrumentId, []);
      this.#consumed.set(instrument.instrumentId, new Map());
    }
  }

  /**
   * Takes over the state a predecessor run left in the restored cache: the balance, the orders
   * resting at the venue (still there after the crash) and the id counters. Orders the venue
   * never acknowledged are rejected, as a venue that has never heard of them would.
   */
  restoreFrom(cache: KernelCache, traderId: string): void {
    const account = cache.account(ACCOUNT_ID);
    const balance = account?.balances.find((candidate) => candidate.currency === ACCOUNT_CURRENCY);
    if (balance !== undefined) this.#balance = balance.total;
    const venueIds: string[] = [];
    for (const order of cache.orders()) if (order.venueOrderId !== undefined) venueIds.push(order.venueOrderId);
    this.#venueOrderIds.skipPast(venueIds);
    const now = this.#options.loop.clock.now();
    for (const order of [...cache.openOrders()]) {
      if (!this.#instruments.has(order.instrumentId)) continue;
      const cause = { correlationId: order.correlationId, causationId: order.submitCommandId };
      if ((order.status === 'ACCEPTED' || order.status === 'PARTIALLY_FILLED') && order.venueOrderId !== undefined) {
        const resting: VenueOrder = {
          traderId,
          strategyId: order.strategyId,
          instrumentId: order.instrumentId,
          clientOrderId: order.clientOrderId,
          venueOrderId: order.venueOrderId,
          side: order.side,
          orderType: order.orderType,
          timeInForce: order.timeInForce,
          quantity: order.quantity,
          filled: order.filledQuantity,
          price: order.price,
          correlationId: order.correlationId,
          submitCommandId: order.submitCommandId,
        };
        this.#rest(resting);
        this.#report(resting, order.status, now);
      } else {
        this.#emit(
          new OrderRejected(
            this.#options.ids.uuid(),
            cause.correlationId,
            cause.causationId,
            traderId,
            order.strategyId,
            order.instrumentId,
            order.clientOrderId,
            ACCOUNT_ID,
            'unknown at venue after restart',
            now,
            now,
          ),
        );
      }
    }
    this.#flush();
  }

  /** Announces the account on connect. */
  connect(): void {
    const now = this.#options.loop.clock.now();
    this.#emit(this.#accountState(undefined, false, now));
    this.#flush();
  }

  get balance(): bigint {
    return this.#balance;
  }

  get restingOrderCount(): number {
    let count = 0;
    for (const orders of this.#resting.values()) count += orders.length;
    return count;
  }

  /** Receives a command from the execution engine; the venue sees it after the inbound latency. */
  receive(command: SubmitOrder | ModifyOrder | CancelOrder | CancelAllOrders | QueryAccount): void {
    const { loop, random } = this.#options;
    // The order entry line is FIFO: a cancel never overtakes the submit it refers to.
    let at = loop.clock.now() + BigInt(random.nextIntBetween(1, 4)) * 1_000_000n;
    if (at < this.#lastArrival) at = this.#lastArrival;
    this.#lastArrival = at;
    loop.schedule(at, () => {
      if (command instanceof SubmitOrder) this.#submit(command);
      else if (command instanceof ModifyOrder) this.#modify(command);
      else if (command instanceof CancelOrder) this.#cancel(command);
      else if (command instanceof CancelAllOrders) this.#cancelAll(command);
      else this.#emit(this.#accountState({ correlationId: command.correlationId, causationId: command.commandId }, true, this.#options.loop.clock.now()));
      this.#flush();
    });
  }

  /** Matches resting orders against a market move, before the move is published. */
  onMarketUpdate(update: MarketUpdate): void {
    const instrumentId = update.quote.instrumentId;
    this.#consumed.get(instrumentId)?.clear();
    const resting = this.#resting.get(instrumentId);
    if (resting === undefined || resting.length === 0) return;
    const now = update.quote.tsEvent;
    const random = this.#options.random;
    let filledAny = false;
    for (const order of [...resting]) {
      const price = order.price!;
      const crossed = order.side === 'BUY' ? update.quote.askPrice <= price : update.quote.bidPrice >= price;
      let quantity = 0n;
      if (crossed) {
        quantity = order.side === 'BUY' ? update.quote.askSize : update.quote.bidSize;
      } else if (update.trade !== undefined) {
        const trade = update.trade;
        const through = order.side === 'BUY' ? trade.aggressorSide === 'SELL' && trade.price <= price : trade.aggressorSide === 'BUY' && trade.price >= price;
        // Queue position: only some prints reach our order.
        if (through && random.chance(2, 3)) quantity = trade.size;
      }
      const remaining = order.quantity - order.filled;
      if (quantity > remaining) quantity = remaining;
      if (quantity <= 0n) continue;
      this.#fill(order, quantity, price, 'MAKER', { correlationId: order.correlationId, causationId: order.submitCommandId }, now);
      filledAny = true;
    }
    if (filledAny) this.#emit(this.#accountState(undefined, false, now));
    this.#flush();
  }

  #submit(command: SubmitOrder): void {
    const now = this.#options.loop.clock.now();
    const cause = { correlationId: command.correlationId, causationId: command.commandId };
    const instrument = this.#instruments.get(command.instrumentId);
    const reason = this.#validate(command, instrument);
    if (reason !== undefined) {
      this.#emit(
        new OrderRejected(
          this.#options.ids.uuid(),
          cause.correlationId,
          cause.causationId,
          command.traderId,
          command.strategyId,
          command.instrumentId,
          command.clientOrderId,
          ACCOUNT_ID,
          reason,
          now,
          now,
        ),
      );
      return;
    }
    const order: VenueOrder = {
      traderId: command.traderId,
      strategyId: command.strategyId,
      instrumentId: command.instrumentId,
      clientOrderId: command.clientOrderId,
      venueOrderId: this.#venueOrderIds.next(),
      side: command.side,
      orderType: command.orderType,
      timeInForce: command.timeInForce,
      quantity: command.quantity,
      filled: 0n,
      price: command.price,
      correlationId: command.correlationId,
      submitCommandId: command.commandId,
    };
    this.#emit(
      new OrderAccepted(
        this.#options.ids.uuid(),
        cause.correlationId,
        cause.causationId,
        order.traderId,
        order.strategyId,
        order.instrumentId,
        order.clientOrderId,
        order.venueOrderId,
        ACCOUNT_ID,
        now,
        now,
      ),
    );
    this.#report(order, 'ACCEPTED', now);
    if (order.timeInForce === 'FOK' && this.#available(order) < order.quantity) {
      this.#emit(this.#canceled(order, cause, 'FOK order could not be filled in full', now));
      this.#report(order, 'CANCELED', now);
      return;
    }
    const filled = this.#take(order, cause, now);
    if (order.filled < order.quantity) {
      if (order.orderType === 'MARKET' || order.timeInForce !== 'GTC') {
        this.#emit(this.#canceled(order, cause, 'unfilled remainder of an immediate order', now));
        this.#report(order, 'CANCELED', now);
      } else {
        this.#rest(order);
      }
    }
    if (filled) this.#emit(this.#accountState(undefined, false, now));
  }

  #modify(command: ModifyOrder): void {
    const now = this.#options.loop.clock.now();
    const cause = { correlationId: command.correlationId, causationId: command.commandId };
    const order = this.#byClientOrderId.get(command.clientOrderId);
    const reject = (reason: string) =>
      this.#emit(
        new OrderModifyRejected(
          this.#options.ids.uuid(),
          cause.correlationId,
          cause.causationId,
          command.traderId,
          command.strategyId,
          command.instrumentId,
          command.clientOrderId,
          command.venueOrderId,
          reason,
          now,
          now,
        ),
      );
    if (order === undefined) return reject('order is not open at the venue');
    const quantity = command.quantity ?? order.quantity;
    if (quantity <= order.filled) return reject(`quantity ${quantity} is not above the filled ${order.filled}`);
    if (command.price !== undefined && command.price <= 0n) return reject('price must be positive');
    order.quantity = quantity;
    if (command.price !== undefined) order.price = command.price;
    this.#emit(
      new OrderUpdated(
        this.#options.ids.uuid(),
        cause.correlationId,
        cause.causationId,
        order.traderId,
        order.strategyId,
        order.instrumentId,
        order.clientOrderId,
        order.venueOrderId,
        order.quantity,
        order.price,
        now,
        now,
      ),
    );
    this.#report(order, order.filled > 0n ? 'PARTIALLY_FILLED' : 'ACCEPTED', now);
    // A modify can make the order marketable: it then takes liquidity at once.
    if (this.#take(order, cause, now)) this.#emit(this.#accountState(undefined, false, now));
  }

  #cancel(command: CancelOrder): void {
    const now = this.#options.loop.clock.now();
    const cause = { correlationId: command.correlationId, causationId: command.commandId };
    const order = this.#byClientOrderId.get(command.clientOrderId);
    if (order === undefined) {
      this.#emit(
        new OrderCancelRejected(
          this.#options.ids.uuid(),
          cause.correlationId,
          cause.causationId,
          command.traderId,
          command.strategyId,
          command.instrumentId,
          command.clientOrderId,
          command.venueOrderId,
          'order is not open at the venue',
          now,
          now,
        ),
      );
      return;
    }
    this.#unrest(order);
    this.#emit(this.#canceled(order, cause, 'canceled by the strategy', now));
    this.#report(order, 'CANCELED', now);
  }

  #cancelAll(command: CancelAllOrders): void {
    const now = this.#options.loop.clock.now();
    const cause = { correlationId: command.correlationId, causationId: command.commandId };
    for (const order of [...(this.#resting.get(command.instrumentId) ?? [])]) {
      if (order.strategyId !== command.strategyId) continue;
      this.#unrest(order);
      this.#emit(this.#canceled(order, cause, 'canceled with all orders of the strategy', now));
      this.#report(order, 'CANCELED', now);
    }
  }

  #validate(command: SubmitOrder, instrument: Instrument | undefined): string | undefined {
    if (instrument === undefined) return `instrument ${command.instrumentId} is not listed`;
    if (command.quantity <= 0n || command.quantity % instrument.lotSize !== 0n)
      return `quantity ${command.quantity} is not a positive multiple of the lot size`;
    if (command.orderType === 'LIMIT') {
      if (command.price === undefined || command.price <= 0n) return 'a limit order needs a positive price';
      if (command.price % instrument.tickSize !== 0n) return `price ${command.price} is not on the tick grid`;
    }
    if (this.#byClientOrderId.has(command.clientOrderId)) return `duplicate client order id ${command.clientOrderId}`;
    // The venue is sometimes busy: a small, seeded share of orders is rejected outright.
    if (this.#options.random.chance(1, 200)) return 'venue busy, try again';
    return undefined;
  }

  /** Liquidity the book offers to `order` within its limit price. */
  #available(order: VenueOrder): bigint {
    const book = this.#options.generator.book(order.instrumentId);
    const consumed = this.#consumed.get(order.instrumentId)!;
    let total = 0n;
    for (const level of order.side === 'BUY' ? book.asks : book.bids) {
      if (order.price !== undefined && (order.side === 'BUY' ? level.price > order.price : level.price < order.price)) break;
      total += level.size - (consumed.get(level.price) ?? 0n);
    }
    return total;
  }

  /** Fills `order` as a taker against the book, level by level; true when anything filled. */
  #take(order: VenueOrder, cause: Cause, now: bigint): boolean {
    const book = this.#options.generator.book(order.instrumentId);
    const consumed = this.#consumed.get(order.instrumentId)!;
    let filledAny = false;
    for (const level of order.side === 'BUY' ? book.asks : book.bids) {
      const remaining = order.quantity - order.filled;
      if (remaining <= 0n) break;
      if (order.price !== undefined && (order.side === 'BUY' ? level.price > order.price : level.price < order.price)) break;
      const taken = consumed.get(level.price) ?? 0n;
      const quantity = level.size - taken < remaining ? level.size - taken : remaining;
      if (quantity <= 0n) continue;
      consumed.set(level.price, taken + quantity);
      this.#fill(order, quantity, level.price, 'TAKER', cause, now);
      filledAny = true;
    }
    return filledAny;
  }

  #fill(order: VenueOrder, quantity: bigint, price: bigint, liquiditySide: LiquiditySide, cause: Cause, now: bigint): void {
    const instrument = this.#instruments.get(order.instrumentId)!;
    const notional = quantity * price;
    const commission = feeOnNotional(notional, liquiditySide === 'MAKER' ? instrument.makerFeeBasisPoints : instrument.takerFeeBasisPoints);
    this.#balance += (order.side === 'BUY' ? -notional : notional) - commission;
    order.filled += quantity;
    const tradeId = this.#tradeIds.next();
    const ids = this.#options.ids;
    this.#emit(
      new OrderFilled(
        ids.uuid(),
        cause.correlationId,
        cause.causationId,
        order.traderId,
        order.strategyId,
        order.instrumentId,
        order.clientOrderId,
        order.venueOrderId,
        ACCOUNT_ID,
        tradeId,
        order.side,
        order.orderType,
        quantity,
        price,
        commission,
        instrument.currency,
        liquiditySide,
        now,
        now,
      ),
    );
    this.#emit(
      new FillReport(
        ids.uuid(),
        ACCOUNT_ID,
        order.instrumentId,
        order.clientOrderId,
        order.venueOrderId,
        tradeId,
        order.side,
        quantity,
        price,
        commission,
        liquiditySide,
        now,
        now,
      ),
    );
    if (order.filled >= order.quantity) {
      this.#unrest(order);
      this.#report(order, 'FILLED', now);
    }
  }

  #canceled(order: VenueOrder, cause: Cause, reason: string, now: bigint): OrderCanceled {
    return new OrderCanceled(
      this.#options.ids.uuid(),
      cause.correlationId,
      cause.causationId,
      order.traderId,
      order.strategyId,
      order.instrumentId,
      order.clientOrderId,
      order.venueOrderId,
      reason,
      now,
      now,
    );
  }

  #report(order: VenueOrder, status: OrderStatus, now: bigint): void {
    this.#emit(
      new OrderStatusReport(
        this.#options.ids.uuid(),
        ACCOUNT_ID,
        order.instrumentId,
        order.clientOrderId,
        order.venueOrderId,
        order.side,
        order.orderType,
        order.timeInForce,
        status,
        order.quantity,
        order.filled,
        order.price,
        now,
        now,
      ),
    );
  }

  #accountState(cause: Cause | undefined, reported: boolean, now: bigint): AccountState {
    let locked = 0n;
    for (const orders of this.#resting.values()) {
      for (const order of orders) if (order.side === 'BUY') locked += (order.quantity - order.filled) * order.price!;
    }
    const balance = { currency: ACCOUNT_CURRENCY, total: this.#balance, locked, free: this.#balance - locked };
    return new AccountState(
      this.#options.ids.uuid(),
      cause?.correlationId,
      cause?.causationId,
      ACCOUNT_ID,
      'CASH',
      ACCOUNT_CURRENCY,
      [balance],
      reported,
      now,
      now,
    );
  }

  #rest(order: VenueOrder): void {
    this.#resting.get(order.instrumentId)!.push(order);
    this.#byClientOrderId.set(order.clientOrderId, order);
  }

  #unrest(order: VenueOrder): void {
    const resting = this.#resting.get(order.instrumentId)!;
    const index = resting.indexOf(order);
    if (index >= 0) resting.splice(index, 1);
    this.#byClientOrderId.delete(order.clientOrderId);
  }

  #emit(message: object): void {
    this.#outbox.push(message);
  }

  /** Sends what one processing step produced, together, after the outbound latency. */
  #flush(): void {
    if (this.#outbox.length === 0) return;
    const messages = this.#outbox;
    this.#outbox = [];
    const { loop, random, bus } = this.#options;
    let at = loop.clock.now() + BigInt(random.nextIntBetween(1, 3)) * 1_000_000n;
    if (at < this.#lastDelivery) at = this.#lastDelivery;
    this.#lastDelivery = at;
    loop.schedule(at, () => {
      for (const message of messages) {
        if (message instanceof AccountState) {
          bus.send(PORTFOLIO_UPDATE_ACCOUNT, message);
          bus.publish(accountTopic(message.accountId), message);
        } else if (message instanceof OrderStatusReport || message instanceof FillReport) {
          bus.publish(rawReportTopic(payloadTypeOf(message)!), message);
        } else {
          bus.send(EXECUTION_ENGINE_PROCESS, message);
        }
      }
    });
  }
}
