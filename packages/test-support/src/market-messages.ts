/**
 * Kernel-style market-data messages and marker extractors for them, as the marker tests publish
 * and register them (upstream's capture tests fingerprint a quote as 32 × 7, a trade as 32 × 9).
 */

/** A kernel-style quote message. */
export class TestQuote {
  constructor(
    readonly instrumentId: string,
    readonly tsEvent: bigint,
    readonly tsInit: bigint,
  ) {}
}

/** A kernel-style trade message. */
export class TestTrade {
  constructor(
    readonly instrumentId: string,
    readonly tsEvent: bigint,
    readonly tsInit: bigint,
  ) {}
}

/** A marker extractor (the shape `@tapelog/markers` registers) of a test message class. */
export interface TestMarketExtractor<M extends TestQuote | TestTrade> {
  readonly dataClass: 'Quote' | 'Trade';
  identifier(message: M): string;
  tsEvent(message: M): bigint;
  tsInit(message: M): bigint;
  fingerprint(message: M): Uint8Array;
}

/** The extractor of a test message class whose every record fingerprint is 32 × `fill`. */
export function testMarketExtractor<M extends TestQuote | TestTrade>(dataClass: 'Quote' | 'Trade', fill: number): TestMarketExtractor<M> {
  return {
    dataClass,
    identifier: (message) => message.instrumentId,
    tsEvent: (message) => message.tsEvent,
    tsInit: (message) => message.tsInit,
    fingerprint: () => new Uint8Array(32).fill(fill),
  };
}

export const testQuoteExtractor: TestMarketExtractor<TestQuote> = testMarketExtractor('Quote', 7);
export const testTradeExtractor: TestMarketExtractor<TestTrade> = testMarketExtractor('Trade', 9);
