/**
 * Market data: quotes, trades, order-book deltas and bars. Plentiful and reproducible from the
 * seed, so never captured as entries (the marker sidecar records where it was delivered).
 */
import type { OrderSide } from './vocabulary.js';

export class QuoteTick {
  static readonly payloadType = 'QuoteTick';
  constructor(
    readonly instrumentId: string,
    readonly bidPrice: bigint,
    readonly askPrice: bigint,
    readonly bidSize: bigint,
    readonly askSize: bigint,
    readonly tsEvent: bigint,
    readonly tsInit: bigint,
  ) {}
}

export class TradeTick {
  static readonly payloadType = 'TradeTick';
  constructor(
    readonly instrumentId: string,
    readonly price: bigint,
    readonly size: bigint,
    readonly aggressorSide: OrderSide,
    readonly tradeId: string,
    readonly tsEvent: bigint,
    readonly tsInit: bigint,
  ) {}
}

export type BookAction = 'ADD' | 'UPDATE' | 'DELETE';

export interface BookDelta {
  action: BookAction;
  side: OrderSide;
  price: bigint;
  size: bigint;
}

export class OrderBookDeltas {
  static readonly payloadType = 'OrderBookDeltas';
  constructor(
    readonly instrumentId: string,
    readonly deltas: BookDelta[],
    readonly sequence: number,
    readonly tsEvent: bigint,
    readonly tsInit: bigint,
  ) {}
}

export class Bar {
  static readonly payloadType = 'Bar';
  constructor(
    /** `<instrumentId>-1-SECOND-LAST`. */
    readonly barType: string,
    readonly instrumentId: string,
    readonly open: bigint,
    readonly high: bigint,
    readonly low: bigint,
    readonly close: bigint,
    readonly volume: bigint,
    readonly tsEvent: bigint,
    readonly tsInit: bigint,
  ) {}
}
