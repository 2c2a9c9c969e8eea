/**
 * What every strategy shares: ids for its orders, the commands it sends (each stamped with the
 * intent it serves and the message that caused it), its subscriptions and requests, and the
 * bookkeeping of orders with a modify or cancel still in flight.
 */
import type { KernelCache, OrderRecord } from '../cache.js';
import { CLIENT_ID, type Instrument } from '../domain/instruments.js';
import { DATA_ENGINE_EXECUTE, DATA_ENGINE_REQUEST } from '../engines/data-engine.js';
import { orderEventTopic } from '../engines/execution-engine.js';
import { RISK_ENGINE_EXECUTE } from '../engines/risk-engine.js';
import type { EventLoop } from '../event-loop.js';
import { type IdGenerator, SequentialIds } from '../id-generator.js';
import type { MessageBus, MessageHandler } from '../message-bus.js';
import { payloadTypeOf } from '../messages/catalog.js';
import { CancelAllOrders, CancelOrder, ModifyOrder, SubmitOrder } from '../messages/commands.js';
import { RequestData, type RequestDataType, SubscribeData, UnsubscribeData } from '../messages/data-commands.js';
import type { OrderEvent } from '../messages/order-events.js';
import type { MarketDataType, OrderSide, OrderType, TimeInForce } from '../messages/vocabulary.js';
import type { SeededRandom } from '../random.js';
import type { TimerService } from '../timer-service.js';

export interface StrategyContext {
  bus: MessageBus;
  loop: EventLoop;
  cache: KernelCache;
  ids: IdGenerator;
  random: SeededRandom;
  timers: TimerService;
  traderId: string;
  instruments: readonly Instrument[];
}

/** Why a command is sent: the intent it serves (correlation) and the message behind it (causation). */
export interface Reason {
  intentId: string;
  causationId: string | undefined;
}

export abstract class Strategy {
  readonly strategyId: string;
  protected readonly context: StrategyContext;
  readonly #clientOrderIds: SequentialIds;
  /** Orders with a modify or cancel sent and no answer yet: do not pile more on them. */
  protected readonly inFlight = new Set<string>();
  readonly #subscriptions: Array<{ dataType: MarketDataType; instrumentId: string; topic: string; handler: MessageHandler }> = [];
  submitted = 0;

  constructor(strategyId: string, context: StrategyContext) {
    this.strategyId = strategyId;
    this.context = context;
    this.#clientOrderIds = new SequentialIds(`O-${strategyId}`);
    // Ids restored from a predecessor run are taken: continue after them.
    this.#clientOrderIds.skipPast(context.cache.orderIds());
    context.bus.subscribe(orderEventTopic(strategyId), (message) => this.#onOrderEvent(message as OrderEvent));
  }

  abstract start(): void;
  abstract stop(): void;

  /** Called after the cache holds the event. */
  protected onOrderEvent(_event: OrderEvent): void {}

  protected now(): bigint {
    return this.context.loop.clock.now();
  }

  protected newIntent(causationId: string | undefined): Reason {
    return { intentId: this.context.ids.uuid(), causationId };
  }

  protected submit(
    instrumentId: string,
    side: OrderSide,
    orderType: OrderType,
    quantity: bigint,
    price: bigint | undefined,
    timeInForce: TimeInForce,
    reason: Reason,
  ): SubmitOrder {
    const { ids, traderId, cache, bus } = this.context;
    const command = new SubmitOrder(
      ids.uuid(),
      reason.intentId,
      reason.causationId,
      traderId,
      this.strategyId,
      instrumentId,
      this.#clientOrderIds.next(),
      side,
      orderType,
      quantity,
      price,
      timeInForce,
      this.now(),
    );
    this.submitted++;
    // The strategy owns the new order: it enters the cache before the command leaves.
    cache.applyMessage(command);
    bus.send(RISK_ENGINE_EXECUTE, command);
    return command;
  }

  protected modify(order: OrderRecord, price: bigint | undefined, quantity: bigint | undefined, reason: Reason): void {
    const { ids, traderId, bus } = this.context;
    this.inFlight.add(order.clientOrderId);
    bus.send(
      RISK_ENGINE_EXECUTE,
      new ModifyOrder(
        ids.uuid(),
        reason.intentId,
        reason.causationId,
        traderId,
        this.strategyId,
        order.instrumentId,
        order.clientOrderId,
        order.venueOrderId,
        quantity,
        price,
        this.now(),
      ),
    );
  }

  protected cancel(order: OrderRecord, reason: Reason): void {
    const { ids, traderId, bus } = this.context;
    this.inFlight.add(order.clientOrderId);
    bus.send(
      RISK_ENGINE_EXECUTE,
      new CancelOrder(
        ids.uuid(),
        reason.intentId,
        reason.causationId,
        traderId,
        this.strategyId,
        order.instrumentId,
        order.clientOrderId,
        order.venueOrderId,
        this.now(),
      ),
    );
  }

  protected cancelAll(instrumentId: string, reason: Reason): void {
    const { ids, traderId, bus } = this.context;
    bus.send(RISK_ENGINE_EXECUTE, new CancelAllOrders(ids.uuid(), reason.intentId, reason.causationId, traderId, this.strategyId, instrumentId, this.now()));
  }

  protected subscribe(dataType: MarketDataType, instrumentId: string, topic: string, handler: MessageHandler): void {
    const { ids, bus } = this.context;
    bus.subscribe(topic, handler);
    this.#subscriptions.push({ dataType, instrumentId, topic, handler });
    bus.send(DATA_ENGINE_EXECUTE, new SubscribeData(ids.uuid(), undefined, CLIENT_ID, dataType, instrumentId, this.now()));
  }

  /** Drops every market-data subscription this strategy made. */
  protected unsubscribeAll(): void {
    const { ids, bus } = this.context;
    for (const { dataType, instrumentId, topic, handler } of this.#subscriptions) {
      bus.unsubscribe(topic, handler);
      bus.send(DATA_ENGINE_EXECUTE, new UnsubscribeData(ids.uuid(), undefined, CLIENT_ID, dataType, instrumentId, this.now()));
    }
    this.#subscriptions.length = 0;
  }

  protected request(dataType: RequestDataType, instrumentId: string, limit: number | undefined, onResponse: MessageHandler): void {
    const { ids, bus } = this.context;
    const requestId = ids.uuid();
    bus.request(DATA_ENGINE_REQUEST, new RequestData(requestId, CLIENT_ID, dataType, instrumentId, limit, this.now()), requestId, onResponse);
  }

  /** Working orders: open, acknowledged or on their way, and not already being modified or canceled. */
  protected workingOrders(instrumentId: string): OrderRecord[] {
    return this.context.cache.openOrdersOf(this.strategyId, instrumentId);
  }

  #onOrderEvent(event: OrderEvent): void {
    switch (payloadTypeOf(event)) {
      case 'OrderUpdated':
      case 'OrderModifyRejected':
      case 'OrderCanceled':
      case 'OrderCancelRejected':
      case 'OrderRejected':
      case 'OrderDenied':
        this.inFlight.delete(event.clientOrderId);
        break;
      case 'OrderFilled': {
        const order = this.context.cache.order(event.clientOrderId);
        if (order === undefined || order.status === 'FILLED') this.inFlight.delete(event.clientOrderId);
        break;
      }
      default:
        break;
    }
    this.onOrderEvent(event);
  }
}
