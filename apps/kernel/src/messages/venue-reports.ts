/**
 * Raw venue reports, published on `reconciliation.raw.*` exactly as the venue states them. They
 * have no identity on purpose: each publish is its own capture point, as upstream.
 */
import type { LiquiditySide, OrderSide, OrderStatus, OrderType, TimeInForce } from './vocabulary.js';

export class OrderStatusReport {
  static readonly payloadType = 'OrderStatusReport';
  constructor(
    readonly reportId: string,
    readonly accountId: string,
    readonly instrumentId: string,
    readonly clientOrderId: string | undefined,
    readonly venueOrderId: string,
    readonly side: OrderSide,
    readonly orderType: OrderType,
    readonly timeInForce: TimeInForce,
    readonly status: OrderStatus,
    readonly quantity: bigint,
    readonly filledQuantity: bigint,
    readonly price: bigint | undefined,
    readonly tsLast: bigint,
    readonly tsInit: bigint,
  ) {}
}

export class FillReport {
  static readonly payloadType = 'FillReport';
  constructor(
    readonly reportId: string,
    readonly accountId: string,
    readonly instrumentId: string,
    readonly clientOrderId: string | undefined,
    readonly venueOrderId: string,
    readonly tradeId: string,
    readonly side: OrderSide,
    readonly lastQuantity: bigint,
    readonly lastPrice: bigint,
    readonly commission: bigint,
    readonly liquiditySide: LiquiditySide,
    readonly tsEvent: bigint,
    readonly tsInit: bigint,
  ) {}
}
