/**
 * How the marker sidecar reads the kernel's market data (`--markers`): the stream identifier,
 * timestamps and fingerprint fields of quotes, trades, book deltas and bars. Prices are cents
 * (two decimals), sizes whole shares.
 */
import { bindMarkerType, buildMarkerRegistry, type DataClass, type DataMarkerExtractorRegistry, defineExtractor } from '@tapelog/markers';
import { Bar, OrderBookDeltas, QuoteTick, TradeTick } from './messages/market-data.js';

const price = (raw: bigint) => ({ raw, precision: 2 });
const size = (raw: bigint) => ({ raw, precision: 0 });

const quoteExtractor = defineExtractor('Quote', {
  identifier: (quote: QuoteTick) => quote.instrumentId,
  tsEvent: (quote) => quote.tsEvent,
  tsInit: (quote) => quote.tsInit,
  fingerprintFields: (quote) => ({
    bidPrice: price(quote.bidPrice),
    askPrice: price(quote.askPrice),
    bidSize: size(quote.bidSize),
    askSize: size(quote.askSize),
    tsEvent: quote.tsEvent,
  }),
});

const tradeExtractor = defineExtractor('Trade', {
  identifier: (trade: TradeTick) => trade.instrumentId,
  tsEvent: (trade) => trade.tsEvent,
  tsInit: (trade) => trade.tsInit,
  fingerprintFields: (trade) => ({
    price: price(trade.price),
    size: size(trade.size),
    aggressorSide: trade.aggressorSide === 'BUY' ? 'Buyer' : 'Seller',
    tradeId: trade.tradeId,
    tsEvent: trade.tsEvent,
  }),
});

const bookDeltasExtractor = defineExtractor('BookDeltas', {
  identifier: (deltas: OrderBookDeltas) => deltas.instrumentId,
  tsEvent: (deltas) => deltas.tsEvent,
  tsInit: (deltas) => deltas.tsInit,
  fingerprintFields: (deltas) => ({
    deltas: deltas.deltas.map((delta) => ({
      action: delta.action === 'ADD' ? 'Add' : delta.action === 'UPDATE' ? 'Update' : 'Delete',
      side: delta.side === 'BUY' ? 'Buy' : 'Sell',
      price: price(delta.price),
      size: size(delta.size),
      orderId: 0n,
      flags: 0,
    })),
    tsEvent: deltas.tsEvent,
  }),
});

const barExtractor = defineExtractor('Bar', {
  identifier: (bar: Bar) => bar.barType,
  tsEvent: (bar) => bar.tsEvent,
  tsInit: (bar) => bar.tsInit,
  fingerprintFields: (bar) => ({
    barType: bar.barType,
    open: price(bar.open),
    high: price(bar.high),
    low: price(bar.low),
    close: price(bar.close),
    volume: size(bar.volume),
    tsEvent: bar.tsEvent,
  }),
});

/** The marker extractor registry for the enabled classes (the kernel publishes no depth-10 books). */
export function buildKernelMarkerRegistry(enabledClasses: readonly DataClass[]): DataMarkerExtractorRegistry {
  return buildMarkerRegistry(enabledClasses, {
    Quote: bindMarkerType(QuoteTick, quoteExtractor),
    Trade: bindMarkerType(TradeTick, tradeExtractor),
    BookDeltas: bindMarkerType(OrderBookDeltas, bookDeltasExtractor),
    Bar: bindMarkerType(Bar, barExtractor),
  });
}

/** The classes `--markers` records. */
export const KERNEL_MARKER_CLASSES: readonly DataClass[] = ['BookDeltas', 'Quote', 'Trade', 'Bar'];
