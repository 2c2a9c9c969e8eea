/**
 * The portfolio: turns fills into positions (one netting position per strategy and instrument,
 * exact cost basis and realized PnL in minor units), keeps the account the venue reports, asks
 * the venue for the account on a timer, and values everything at the market for the progress
 * line. Position events are applied to the cache before they are published.
 */
import { type KernelCache, positionIdOf } from '../cache.js';
import { ACCOUNT_CURRENCY, ACCOUNT_ID } from '../domain/instruments.js';
import type { EventLoop } from '../event-loop.js';
import type { IdGenerator } from '../id-generator.js';
import type { MessageBus } from '../message-bus.js';
import { AccountState } from '../messages/account-state.js';
import { QueryAccount } from '../messages/commands.js';
import { OrderFilled } from '../messages/order-events.js';
import { PositionChanged, PositionClosed, type PositionEvent, PositionOpened } from '../messages/position-events.js';
import type { PositionSide } from '../messages/vocabulary.js';
import type { TimerService } from '../timer-service.js';
import { PORTFOLIO_UPDATE_ORDER } from './execution-engine.js';
import { RISK_ENGINE_EXECUTE } from './risk-engine.js';
import { INITIAL_BALANCE, PORTFOLIO_UPDATE_ACCOUNT } from './simulated-venue.js';

export const positionTopic = (strategyId: string) => `events.position.${strategyId}`;
const ACCOUNT_QUERY_INTERVAL = 5_000_000_000n;

export interface PortfolioOptions {
  bus: MessageBus;
  loop: EventLoop;
  cache: KernelCache;
  ids: IdGenerator;
  timers: TimerService;
  traderId: string;
  markPrice: (instrumentId: string) => bigint;
}

function sideOf(quantity: bigint): PositionSide {
  return quantity > 0n ? 'LONG' : quantity < 0n ? 'SHORT' : 'FLAT';
}

export class Portfolio {
  readonly #options: PortfolioOptions;
  fills = 0;

  constructor(options: PortfolioOptions) {
    this.#options = options;
    options.bus.register(PORTFOLIO_UPDATE_ORDER, (message) => {
      if (message instanceof OrderFilled) this.#onFill(message);
    });
    options.bus.register(PORTFOLIO_UPDATE_ACCOUNT, (message) => {
      if (message instanceof AccountState) options.cache.applyMessage(message);
    });
  }

  start(): void {
    const { timers, bus, ids, loop, traderId } = this.#options;
    timers.setTimer('Portfolio.account-query', ACCOUNT_QUERY_INTERVAL, (event) => {
      bus.send(RISK_ENGINE_EXECUTE, new QueryAccount(ids.uuid(), ids.uuid(), event.eventId, traderId, ACCOUNT_ID, loop.clock.now()));
    });
  }

  stop(): void {
    this.#options.timers.cancelTimer('Portfolio.account-query');
  }

  /** Cash plus positions at the market, minus the starting cash: the run's total PnL in minor units. */
  totalPnl(): bigint {
    const { cache, markPrice } = this.#options;
    const cash = cache.account(ACCOUNT_ID)?.balances.find((balance) => balance.currency === ACCOUNT_CURRENCY)?.total ?? INITIAL_BALANCE;
    let holdings = 0n;
    for (const position of cache.positions()) {
      if (position.quantity !== 0n) holdings += position.quantity * markPrice(position.instrumentId);
    }
    return cash + holdings - INITIAL_BALANCE;
  }

  #onFill(fill: OrderFilled): void {
    const { cache, bus, ids, loop } = this.#options;
    this.fills++;
    const previous = cache.position(fill.strategyId, fill.instrumentId);
    const signed = fill.side === 'BUY' ? fill.lastQuantity : -fill.lastQuantity;
    let quantity = previous?.quantity ?? 0n;
    let costBasis = previous?.costBasis ?? 0n;
    let realizedPnl = (previous?.realizedPnl ?? 0n) - fill.commission;
    let openingOrderId = previous?.openingOrderId ?? fill.clientOrderId;
    let closingOrderId = previous?.closingOrderId;
    let EventClass: typeof PositionOpened | typeof PositionChanged | typeof PositionClosed = PositionChanged;
    if (quantity === 0n) {
      EventClass = PositionOpened;
      quantity = signed;
      costBasis = signed * fill.lastPrice;
      openingOrderId = fill.clientOrderId;
      closingOrderId = undefined;
    } else if (quantity > 0n === signed > 0n) {
      quantity += signed;
      costBasis += signed * fill.lastPrice;
    } else {
      const absoluteQuantity = quantity < 0n ? -quantity : quantity;
      const absoluteFill = signed < 0n ? -signed : signed;
      const closed = absoluteFill < absoluteQuantity ? absoluteFill : absoluteQuantity;
      const direction = quantity > 0n ? 1n : -1n;
      // Truncating division keeps it exact in total: closing the whole position removes the whole basis.
      const removedCost = (costBasis * closed) / absoluteQuantity;
      realizedPnl += direction * closed * fill.lastPrice - removedCost;
      quantity -= direction * closed;
      costBasis -= removedCost;
      const flipped = absoluteFill - closed;
      if (quantity === 0n && flipped === 0n) {
        EventClass = PositionClosed;
        closingOrderId = fill.clientOrderId;
      } else if (flipped > 0n) {
        quantity = -direction * flipped;
        costBasis = quantity * fill.lastPrice;
        openingOrderId = fill.clientOrderId;
        closingOrderId = undefined;
      }
    }
    const now = loop.clock.now();
    const event: PositionEvent = new EventClass(
      ids.uuid(),
      fill.correlationId,
      fill.eventId,
      fill.traderId,
      fill.strategyId,
      fill.instrumentId,
      positionIdOf(fill.strategyId, fill.instrumentId),
      openingOrderId,
      closingOrderId,
      sideOf(quantity),
      quantity,
      costBasis,
      realizedPnl,
      fill.lastPrice,
      now,
      now,
    );
    cache.applyMessage(event);
    bus.publish(positionTopic(fill.strategyId), event);
  }
}
