/** The closed vocabularies orders and positions are described with, shared by every message. */

export type OrderSide = 'BUY' | 'SELL';
export type OrderType = 'MARKET' | 'LIMIT';
/** GTC rests until canceled; IOC fills what it can at once; FOK fills entirely at once or not at all. */
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';
export type OrderStatus = 'INITIALIZED' | 'DENIED' | 'SUBMITTED' | 'ACCEPTED' | 'REJECTED' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED';
export type LiquiditySide = 'MAKER' | 'TAKER';
export type PositionSide = 'LONG' | 'SHORT' | 'FLAT';
export type MarketDataType = 'quotes' | 'trades' | 'book_deltas' | 'bars';

/** Statuses after which an order never changes again. */
export const TERMINAL_ORDER_STATUSES: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['DENIED', 'REJECTED', 'FILLED', 'CANCELED']);

export function oppositeSide(side: OrderSide): OrderSide {
  return side === 'BUY' ? 'SELL' : 'BUY';
}
