/**
 * The pre-trade risk engine: every strategy command passes here first. Orders that break a limit
 * (size, notional, projected position, free cash, submit rate) are denied with `OrderDenied`;
 * modifies that break the size limit are rejected; everything else goes on to execution.
 */
import type { KernelCache } from '../cache.js';
import { ACCOUNT_CURRENCY, ACCOUNT_ID } from '../domain/instruments.js';
import type { EventLoop } from '../event-loop.js';
import type { IdGenerator } from '../id-generator.js';
import type { MessageBus } from '../message-bus.js';
import { ModifyOrder, SubmitOrder } from '../messages/commands.js';
import { OrderDenied, OrderModifyRejected } from '../messages/order-events.js';
import { EXECUTION_ENGINE_EXECUTE } from './execution-engine.js';
import { EXECUTION_ENGINE_PROCESS } from './simulated-venue.js';

export const RISK_ENGINE_EXECUTE = 'RiskEngine.execute';
const SECOND = 1_000_000_000n;

export interface RiskLimits {
  maxOrderQuantity: bigint;
  /** Minor units. */
  maxOrderNotional: bigint;
  maxPositionQuantity: bigint;
  maxSubmitsPerSecond: number;
}

export const DEFAULT_RISK_LIMITS: RiskLimits = {
  maxOrderQuantity: 400n,
  maxOrderNotional: 12_000_000n, // 120,000.00 USD
  maxPositionQuantity: 1_000n,
  maxSubmitsPerSecond: 25,
};

export interface RiskEngineOptions {
  bus: MessageBus;
  loop: EventLoop;
  cache: KernelCache;
  ids: IdGenerator;
  limits?: RiskLimits;
  /** The price used for the notional of market orders. */
  markPrice: (instrumentId: string) => bigint;
}

export class RiskEngine {
  readonly #options: RiskEngineOptions;
  readonly #limits: RiskLimits;
  /** Submits per strategy in the current second of simulated time. */
  readonly #submitsThisSecond = new Map<string, number>();
  #currentSecond = -1n;
  denied = 0;

  constructor(options: RiskEngineOptions) {
    this.#options = options;
    this.#limits = options.limits ?? DEFAULT_RISK_LIMITS;
    options.bus.register(RISK_ENGINE_EXECUTE, (message) => this.#execute(message));
  }

  #execute(command: unknown): void {
    const { bus, loop, ids } = this.#options;
    if (command instanceof SubmitOrder) {
      const reason = this.#checkSubmit(command);
      if (reason !== undefined) {
        this.denied++;
        const now = loop.clock.now();
        bus.send(
          EXECUTION_ENGINE_PROCESS,
          new OrderDenied(
            ids.uuid(),
            command.correlationId,
            command.commandId,
            command.traderId,
            command.strategyId,
            command.instrumentId,
            command.clientOrderId,
            reason,
            now,
            now,
          ),
        );
        return;
      }
    } else if (command instanceof ModifyOrder && command.quantity !== undefined && command.quantity > this.#limits.maxOrderQuantity) {
      const now = loop.clock.now();
      bus.send(
        EXECUTION_ENGINE_PROCESS,
        new OrderModifyRejected(
          ids.uuid(),
          command.correlationId,
          command.commandId,
          command.traderId,
          command.strategyId,
          command.instrumentId,
          command.clientOrderId,
          command.venueOrderId,
          `quantity ${command.quantity} exceeds the limit ${this.#limits.maxOrderQuantity}`,
          now,
          now,
        ),
      );
      return;
    }
    bus.send(EXECUTION_ENGINE_EXECUTE, command);
  }

  #checkSubmit(command: SubmitOrder): string | undefined {
    const limits = this.#limits;
    const { cache, loop, markPrice } = this.#options;
    const second = loop.clock.now() / SECOND;
    if (second !== this.#currentSecond) {
      this.#currentSecond = second;
      this.#submitsThisSecond.clear();
    }
    const submits = (this.#submitsThisSecond.get(command.strategyId) ?? 0) + 1;
    this.#submitsThisSecond.set(command.strategyId, submits);
    if (submits > limits.maxSubmitsPerSecond) return `submit rate above ${limits.maxSubmitsPerSecond} per second`;
    if (command.quantity > limits.maxOrderQuantity) return `quantity ${command.quantity} exceeds the limit ${limits.maxOrderQuantity}`;
    const price = command.price ?? markPrice(command.instrumentId);
    const notional = price * command.quantity;
    if (notional > limits.maxOrderNotional) return `notional ${notional} exceeds the limit ${limits.maxOrderNotional}`;
    // Projected position: what the strategy holds plus every working order on the same side.
    const sign = command.side === 'BUY' ? 1n : -1n;
    let projected = cache.position(command.strategyId, command.instrumentId)?.quantity ?? 0n;
    for (const order of cache.openOrdersOf(command.strategyId, command.instrumentId)) {
      if (order.side === command.side && order.clientOrderId !== command.clientOrderId) projected += sign * (order.quantity - order.filledQuantity);
    }
    projected += sign * command.quantity;
    const absolute = projected < 0n ? -projected : projected;
    if (absolute > limits.maxPositionQuantity) return `projected position ${projected} exceeds the limit ${limits.maxPositionQuantity}`;
    if (command.side === 'BUY') {
      const free = cache.account(ACCOUNT_ID)?.balances.find((balance) => balance.currency === ACCOUNT_CURRENCY)?.free;
      if (free !== undefined && notional > free) return `notional ${notional} exceeds the free balance ${free}`;
    }
    return undefined;
  }
}
