/**
 * The market-data message the capture and markers benchmarks dispatch: a kernel-style quote
 * class, its marker extractor, and a deterministic stream of quotes over four instruments.
 */
import { defineExtractor } from '@tapelog/markers';

export class Quote {
  constructor(
    readonly instrumentId: string,
    readonly bid: bigint,
    readonly ask: bigint,
    readonly tsEvent: bigint,
    readonly tsInit: bigint,
  ) {}
}

export const QUOTE_INSTRUMENTS = ['ETHUSDT.BINANCE', 'BTCUSDT.BINANCE', 'SOLUSDT.BINANCE', 'AAPL.XNAS'];

export const quoteExtractor = defineExtractor('Quote', {
  identifier: (quote: Quote) => quote.instrumentId,
  tsEvent: (quote) => quote.tsEvent,
  tsInit: (quote) => quote.tsInit,
  fingerprintFields: (quote) => ({
    bidPrice: { raw: quote.bid, precision: 2 },
    askPrice: { raw: quote.ask, precision: 2 },
    bidSize: { raw: 100n, precision: 2 },
    askSize: { raw: 200n, precision: 2 },
    tsEvent: quote.tsEvent,
  }),
});

/** `count` quotes cycling over the instruments, with timestamps 0, 1, 2 … */
export function sampleQuotes(count: number): Quote[] {
  return Array.from(
    { length: count },
    (_, i) => new Quote(QUOTE_INSTRUMENTS[i % QUOTE_INSTRUMENTS.length]!, 300_000n + BigInt(i % 7), 300_010n, BigInt(i), BigInt(i)),
  );
}
