/**
 * The execution engine: takes the commands risk let through and routes them to the venue, and is
 * the first stop of every order event coming back. It applies each event to the cache before
 * anything else sees it, then passes it to the portfolio and publishes it to the strategy, so
 * one event crosses three bus boundaries and is captured once.
 */
import type { KernelCache } from '../cache.js';
import { ACCOUNT_ID } from '../domain/instruments.js';
import type { EventLoop } from '../event-loop.js';
import type { IdGenerator } from '../id-generator.js';
import type { MessageBus } from '../message-bus.js';
import { CancelAllOrders, CancelOrder, ModifyOrder, QueryAccount, SubmitOrder } from '../messages/commands.js';
import { type OrderEvent, OrderSubmitted } from '../messages/order-events.js';
import { EXECUTION_ENGINE_PROCESS, type SimulatedVenue } from './simulated-venue.js';

export const EXECUTION_ENGINE_EXECUTE = 'ExecEngine.execute';
export const PORTFOLIO_UPDATE_ORDER = 'Portfolio.update_order';
export const orderEventTopic = (strategyId: string) => `events.order.${strategyId}`;

export interface ExecutionEngineOptions {
  bus: MessageBus;
  loop: EventLoop;
  cache: KernelCache;
  ids: IdGenerator;
  venue: SimulatedVenue;
}

export class ExecutionEngine {
  readonly #options: ExecutionEngineOptions;
  commandsRouted = 0;
  eventsProcessed = 0;

  constructor(options: ExecutionEngineOptions) {
    this.#options = options;
    options.bus.register(EXECUTION_ENGINE_EXECUTE, (message) => this.#execute(message));
    options.bus.register(EXECUTION_ENGINE_PROCESS, (message) => this.#process(message as OrderEvent));
  }

  #execute(command: unknown): void {
    const { bus, loop, ids, venue } = this.#options;
    if (command instanceof SubmitOrder) {
      const now = loop.clock.now();
      bus.send(
        EXECUTION_ENGINE_PROCESS,
        new OrderSubmitted(
          ids.uuid(),
          command.correlationId,
          command.commandId,
          command.traderId,
          command.strategyId,
          command.instrumentId,
          command.clientOrderId,
          ACCOUNT_ID,
          now,
          now,
        ),
      );
    }
    if (
      command instanceof SubmitOrder ||
      command instanceof ModifyOrder ||
      command instanceof CancelOrder ||
      command instanceof CancelAllOrders ||
      command instanceof QueryAccount
    ) {
      this.commandsRouted++;
      venue.receive(command);
    }
  }

  #process(event: OrderEvent): void {
    const { bus, cache } = this.#options;
    this.eventsProcessed++;
    // First: the cache must hold the event before any handler can act on it.
    cache.applyMessage(event);
    bus.send(PORTFOLIO_UPDATE_ORDER, event);
    bus.publish(orderEventTopic(event.strategyId), event);
  }
}
