/**
 * Order events: everything that happens to an order after a strategy submits it. Each carries
 * its event id (identity), the intent id of the strategy decision it belongs to as correlation
 * id, and the id of the command or event that caused it.
 */
import type { LiquiditySide, OrderSide, OrderType } from './vocabulary.js';

/** The fields every order event starts with, in this order. */
abstract class OrderEventBase {
  constructor(
    readonly eventId: string,
    readonly correlationId: string,
    readonly causationId: string | undefined,
    readonly traderId: string,
    readonly strategyId: string,
    readonly instrumentId: string,
    readonly clientOrderId: string,
  ) {}
}

export class OrderDenied extends OrderEventBase {
  static readonly payloadType = 'OrderDenied';
  constructor(
    eventId: string,
    correlationId: string,
    causationId: string | undefined,
    traderId: string,
    strategyId: string,
    instrumentId: string,
    clientOrderId: string,
    readonly reason: string,
    readonly tsEvent: bigint,
    readonly tsInit: bigint,
  ) {
    super(eventId, correlationId, causationId, traderId, strategyId, instrumentId, clientOrderId);
  }
}

export class OrderSubmitted extends OrderEventBase {
  static readonly payloadType = 'OrderSubmitted';
  constructor(
    eventId: string,
    correlationId: string,
    causationId: string | undefined,
    traderId: string,
    strategyId: string,
    instrumentId: string,
    clientOrderId: string,
    readonly accountId: string,
    readonly tsEvent: bigint,
    readonly tsInit: bigint,
  ) {
    super(eventId, correlationId, causationId, traderId, strategyId, instrumentId, clientOrderId);
  }
}

export class OrderAccepted extends OrderEventBase {
  static readonly payloadType = 'OrderAccepted';
  constructor(
    eventId: string,
    correlationId: string,
    causationId: string | undefined,
    traderId: string,
    strategyId: string,
    instrumentId: string,
    clientOrderId: string,
    readonly venueOrderId: string,
    readonly accountId: string,
    readonly tsEvent: bigint,
    readonly tsInit: bigint,
  ) {
    super(eventId, correlationId, causationId, traderId, strategyId, instrumentId, clientOrderId);
  }
}

export class OrderRejected extends OrderEventBase {
  static readonly payloadType = 'OrderRejected';
  constructor(
    eventId: string,
    correlationId: string,
    causationId: string | undefined,
    traderId: string,
    strategyId: string,
    instrumentId: string,
    clientOrderId: string,
    readonly accountId: string,
    readonly reason: string,
    readonly tsEvent: bigint,
    readonly tsInit: bigint,
  ) {
    super(eventId, correlationId, causationId, traderId, strategyId, instrumentId, clientOrderId);
  }
}

export class OrderUpdated extends OrderEventBase {
  static readonly payloadType = 'OrderUpdated';
  constructor(
    eventId: string,
    correlationId: string,
    causationId: string | undefined,
    traderId: string,
    strategyId: string,
    instrumentId: string,
    clientOrderId: string,
    readonly venueOrderId: string | undefined,
    readonly quantity: bigint,
    readonly price: bigint | undefined,
    readonly tsEvent: bigint,
    readonly tsInit: bigint,
  ) {
    super(eventId, correlationId, causationId, traderId, strategyId, instrumentId, clientOrderId);
  }
}

export class OrderModifyRejected extends OrderEventBase {
  static readonly payloadType = 'OrderModifyRejected';
  constructor(
    eventId: string,
    correlationId: string,
    causationId: string | undefined,
    traderId: string,
    strategyId: string,
    instrumentId: string,
    clientOrderId: string,
    readonly venueOrderId: string | undefined,
    readonly reason: string,
    readonly tsEvent: bigint,
    readonly tsInit: bigint,
  ) {
    super(eventId, correlationId, causationId, traderId, strategyId, instrumentId, clientOrderId);
  }
}

export class OrderCanceled extends OrderEventBase {
  static readonly payloadType = 'OrderCanceled';
  constructor(
    eventId: string,
    correlationId: string,
    causationId: string | undefined,
    traderId: string,
    strategyId: string,
    instrumentId: string,
    clientOrderId: string,
    readonly venueOrderId: string | undefined,
    readonly reason: string,
    readonly tsEvent: bigint,
    readonly tsInit: bigint,
  ) {
    super(eventId, correlationId, causationId, traderId, strategyId, instrumentId, clientOrderId);
  }
}

export class OrderCancelRejected extends OrderEventBase {
  static readonly payloadType = 'OrderCancelRejected';
  constructor(
    eventId: string,
    correlationId: string,
    causationId: string | undefined,
    traderId: string,
    strategyId: string,
    instrumentId: string,
    clientOrderId: string,
    readonly venueOrderId: string | undefined,
    readonly reason: string,
    readonly tsEvent: bigint,
    readonly tsInit: bigint,
  ) {
    super(eventId, correlationId, causationId, traderId, strategyId, instrumentId, clientOrderId);
  }
}

export class OrderFilled extends OrderEventBase {
  static readonly payloadType = 'OrderFilled';
  constructor(
    eventId: string,
    correlationId: string,
    causationId: string | undefined,
    traderId: string,
    strategyId: string,
    instrumentId: string,
    clientOrderId: string,
    readonly venueOrderId: string,
    readonly accountId: string,
    readonly tradeId: string,
    readonly side: OrderSide,
    readonly orderType: OrderType,
    readonly lastQuantity: bigint,
    /** Minor units (cents). */
    readonly lastPrice: bigint,
    /** Minor units of `currency`. */
    readonly commission: bigint,
    readonly currency: string,
    readonly liquiditySide: LiquiditySide,
    readonly tsEvent: bigint,
    readonly tsInit: bigint,
  ) {
    super(eventId, correlationId, causationId, traderId, strategyId, instrumentId, clientOrderId);
  }
}

export type OrderEvent =
  | OrderDenied
  | OrderSubmitted
  | OrderAccepted
  | OrderRejected
  | OrderUpdated
  | OrderModifyRejected
  | OrderCanceled
  | OrderCancelRejected
  | OrderFilled;
