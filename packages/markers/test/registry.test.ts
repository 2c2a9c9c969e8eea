import { toHex } from '@tapelog/core';
import { describe, expect, it } from 'vitest';
import { defineExtractor } from '../src/extractor.js';
import type {
  BarFingerprintFields,
  BookDeltasFingerprintFields,
  BookDepth10FingerprintFields,
  QuoteFingerprintFields,
  TradeFingerprintFields,
} from '../src/fingerprint.js';
import { barTypeString, instrumentIdString } from '../src/identifier.js';
import { bindMarkerType, buildMarkerRegistry, DataMarkerExtractorRegistry, type MarkerBindings } from '../src/registry.js';
import { barFixture, deltasFixture, depth10Fixture, PINNED, quoteFixture, T, tradeFixture } from './fixtures/reference-fixtures.js';

// Kernel-style message classes: the payload carries the identity, the topic does not matter.
class Quote {
  constructor(
    readonly symbol: string,
    readonly venue: string,
    readonly fields: QuoteFingerprintFields,
    readonly tsInit: bigint,
  ) {}
}
class Trade {
  constructor(
    readonly instrumentId: string,
    readonly fields: TradeFingerprintFields,
    readonly tsInit: bigint,
  ) {}
}
class Bar {
  constructor(
    readonly fields: BarFingerprintFields,
    readonly tsInit: bigint,
  ) {}
}
class Depth10 {
  constructor(
    readonly instrumentId: string,
    readonly fields: BookDepth10FingerprintFields,
    readonly tsInit: bigint,
  ) {}
}
class Deltas {
  constructor(
    readonly instrumentId: string,
    readonly fields: BookDeltasFingerprintFields,
    readonly tsInit: bigint,
  ) {}
}

const quoteExtractor = defineExtractor('Quote', {
  identifier: (q: Quote) => instrumentIdString(q.symbol, q.venue),
  tsEvent: (q) => q.fields.tsEvent,
  tsInit: (q) => q.tsInit,
  fingerprintFields: (q) => q.fields,
});
const tradeExtractor = defineExtractor('Trade', {
  identifier: (t: Trade) => t.instrumentId,
  tsEvent: (t) => t.fields.tsEvent,
  tsInit: (t) => t.tsInit,
  fingerprintFields: (t) => t.fields,
});
const barExtractor = defineExtractor('Bar', {
  identifier: (b: Bar) => b.fields.barType,
  tsEvent: (b) => b.fields.tsEvent,
  tsInit: (b) => b.tsInit,
  fingerprintFields: (b) => b.fields,
});
const depthExtractor = defineExtractor('BookDepth10', {
  identifier: (d: Depth10) => d.instrumentId,
  tsEvent: (d) => d.fields.tsEvent,
  tsInit: (d) => d.tsInit,
  fingerprintFields: (d) => d.fields,
});
const deltasExtractor = defineExtractor('BookDeltas', {
  identifier: (d: Deltas) => d.instrumentId,
  tsEvent: (d) => d.fields.tsEvent,
  tsInit: (d) => d.tsInit,
  fingerprintFields: (d) => d.fields,
});

const bindings: MarkerBindings = {
  Quote: bindMarkerType(Quote, quoteExtractor),
  Trade: bindMarkerType(Trade, tradeExtractor),
  Bar: bindMarkerType(Bar, barExtractor),
  BookDepth10: bindMarkerType(Depth10, depthExtractor),
  BookDeltas: [bindMarkerType(Deltas, deltasExtractor)],
};

const messages = {
  quote: new Quote('ETHUSDT', 'BINANCE', quoteFixture(), T + 200n),
  trade: new Trade('ETHUSDT.BINANCE', tradeFixture(), T + 400n),
  bar: new Bar(barFixture(), T + 600n),
  depth10: new Depth10('ETHUSDT.BINANCE', depth10Fixture(), T + 800n),
  deltas: new Deltas('ETHUSDT.BINANCE', deltasFixture(), T + 1000n),
};

describe('extractors read identifiers, timestamps and the pinned fingerprints', () => {
  const registry = buildMarkerRegistry(['BookDeltas', 'BookDepth10', 'Quote', 'Trade', 'Bar'], bindings);
  it.each([
    ['quote', 'Quote', 'ETHUSDT.BINANCE', T + 100n, T + 200n, PINNED.quote],
    ['trade', 'Trade', 'ETHUSDT.BINANCE', T + 300n, T + 400n, PINNED.trade],
    ['bar', 'Bar', 'ETHUSDT.BINANCE-1-MINUTE-LAST-EXTERNAL', T + 500n, T + 600n, PINNED.bar],
    ['depth10', 'BookDepth10', 'ETHUSDT.BINANCE', T + 700n, T + 800n, PINNED.depth10],
    ['deltas', 'BookDeltas', 'ETHUSDT.BINANCE', T + 900n, T + 1000n, PINNED.deltas],
  ] as const)('%s', (name, dataClass, identifier, tsEvent, tsInit, fingerprint) => {
    const message = messages[name];
    const extractor = registry.resolve(message)!;
    expect(extractor.dataClass).toBe(dataClass);
    expect(extractor.identifier(message)).toBe(identifier);
    expect(extractor.tsEvent(message)).toBe(tsEvent);
    expect(extractor.tsInit(message)).toBe(tsInit);
    expect(toHex(extractor.fingerprint(message)!)).toBe(fingerprint);
  });
});

describe('registry', () => {
  it('installs only the enabled classes', () => {
    const registry = buildMarkerRegistry(['Quote', 'BookDepth10', 'Quote'], bindings);
    expect(registry.resolve(messages.quote)?.dataClass).toBe('Quote');
    expect(registry.resolve(messages.depth10)?.dataClass).toBe('BookDepth10');
    expect(registry.resolve(messages.trade)).toBeUndefined();
    expect(registry.resolve(messages.bar)).toBeUndefined();
    expect(registry.resolve(messages.deltas)).toBeUndefined();
    expect(registry.registeredClasses().sort()).toEqual(['BookDepth10', 'Quote']);
  });

  it('returns nothing for unregistered types and non-objects', () => {
    const registry = new DataMarkerExtractorRegistry();
    expect(registry.resolve(messages.quote)).toBeUndefined();
    expect(registry.resolve(7)).toBeUndefined();
    expect(registry.resolve(null)).toBeUndefined();
    expect(registry.size).toBe(0);
  });

  it('matches string type tags and lets a later registration replace an earlier one', () => {
    const registry = new DataMarkerExtractorRegistry();
    const tagged = { type: 'QuoteTick', instrumentId: 'A' };
    registry.register('QuoteTick', { ...quoteExtractor, dataClass: 'Quote' } as never);
    expect(registry.resolve(tagged)?.dataClass).toBe('Quote');
    registry.register('QuoteTick', tradeExtractor as never);
    expect(registry.resolve(tagged)?.dataClass).toBe('Trade');
    expect(registry.resolve({ type: 'Other' })).toBeUndefined();
  });

  it('rejects a binding whose extractor is for another class', () => {
    expect(() => buildMarkerRegistry(['Quote'], { Quote: { type: Trade, extractor: tradeExtractor } as never })).toThrow(TypeError);
  });
});

describe('identifier strings', () => {
  it('render instrument ids and bar types as upstream does', () => {
    expect(instrumentIdString('ETHUSDT-PERP', 'BINANCE')).toBe('ETHUSDT-PERP.BINANCE');
    const standard = { instrumentId: 'ETHUSDT.BINANCE', step: 1, aggregation: 'MINUTE', priceType: 'LAST', source: 'EXTERNAL' };
    expect(barTypeString(standard)).toBe('ETHUSDT.BINANCE-1-MINUTE-LAST-EXTERNAL');
    expect(barTypeString({ ...standard, source: 'INTERNAL', composite: { step: 1, aggregation: 'TICK', source: 'EXTERNAL' } })).toBe(
      'ETHUSDT.BINANCE-1-MINUTE-LAST-INTERNAL@1-TICK-EXTERNAL',
    );
  });
});
