/**
 * Trading commands: what strategies ask of the execution side. Each carries its own command id
 * (its identity, which dedups it across the strategy → risk → execution hops), the strategy's
 * intent id as correlation id, and the id of the message that caused it, when there is one.
 */
import type { OrderSide, OrderType, TimeInForce } from './vocabulary.js';

export class SubmitOrder {
  static readonly payloadType = 'SubmitOrder';
  constructor(
    readonly commandId: string,
    readonly correlationId: string,
    readonly causationId: string | undefined,
    readonly traderId: string,
    readonly strategyId: string,
    readonly instrumentId: string,
    readonly clientOrderId: string,
    readonly side: OrderSide,
    readonly orderType: OrderType,
    readonly quantity: bigint,
    /** Minor units (cents); absent on market orders. */
    readonly price: bigint | undefined,
    readonly timeInForce: TimeInForce,
    readonly tsInit: bigint,
  ) {}
}

export class ModifyOrder {
  static readonly payloadType = 'ModifyOrder';
  constructor(
    readonly commandId: string,
    readonly correlationId: string,
    readonly causationId: string | undefined,
    readonly traderId: string,
    readonly strategyId: string,
    readonly instrumentId: string,
    readonly clientOrderId: string,
    readonly venueOrderId: string | undefined,
    readonly quantity: bigint | undefined,
    readonly price: bigint | undefined,
    readonly tsInit: bigint,
  ) {}
}

export class CancelOrder {
  static readonly payloadType = 'CancelOrder';
  constructor(
    readonly commandId: string,
    readonly correlationId: string,
    readonly causationId: string | undefined,
    readonly traderId: string,
    readonly strategyId: string,
    readonly instrumentId: string,
    readonly clientOrderId: string,
    readonly venueOrderId: string | undefined,
    readonly tsInit: bigint,
  ) {}
}

export class CancelAllOrders {
  static readonly payloadType = 'CancelAllOrders';
  constructor(
    readonly commandId: string,
    readonly correlationId: string,
    readonly causationId: string | undefined,
    readonly traderId: string,
    readonly strategyId: string,
    readonly instrumentId: string,
    readonly tsInit: bigint,
  ) {}
}

export class QueryAccount {
  static readonly payloadType = 'QueryAccount';
  constructor(
    readonly commandId: string,
    readonly correlationId: string,
    readonly causationId: string | undefined,
    readonly traderId: string,
    readonly accountId: string,
    readonly tsInit: bigint,
  ) {}
}

export type TradingCommand = SubmitOrder | ModifyOrder | CancelOrder | CancelAllOrders | QueryAccount;
