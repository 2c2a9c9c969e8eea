import { toHex } from '@tapelog/core';
import { describe, expect, it } from 'vitest';
import {
  type BarFingerprintFields,
  type BookDeltasFingerprintFields,
  type BookDepth10FingerprintFields,
  fingerprintBar,
  fingerprintBookDeltas,
  fingerprintBookDepth10,
  fingerprintQuote,
  fingerprintRecord,
  fingerprintTrade,
  type QuoteFingerprintFields,
  type TradeFingerprintFields,
} from '../src/fingerprint.js';
import { decimalFromString, rawAtPrecision } from '../src/fixed-decimal.js';
import { barFixture, deltasFixture, depth10Fixture, PINNED, quoteFixture, tradeFixture } from './fixtures/reference-fixtures.js';

describe('record fingerprints reproduce the pinned upstream vectors', () => {
  it('quote', () => expect(toHex(fingerprintQuote(quoteFixture()))).toBe(PINNED.quote));
  it('trade', () => expect(toHex(fingerprintTrade(tradeFixture()))).toBe(PINNED.trade));
  it('bar', () => expect(toHex(fingerprintBar(barFixture()))).toBe(PINNED.bar));
  it('depth10', () => expect(toHex(fingerprintBookDepth10(depth10Fixture()))).toBe(PINNED.depth10));
  it('deltas', () => expect(toHex(fingerprintBookDeltas(deltasFixture()))).toBe(PINNED.deltas));
  it('fingerprintRecord dispatches by class', () => {
    expect(toHex(fingerprintRecord('Quote', quoteFixture()))).toBe(PINNED.quote);
    expect(toHex(fingerprintRecord('BookDeltas', deltasFixture()))).toBe(PINNED.deltas);
  });
  it('the five fixture fingerprints are pairwise distinct (class-specific domains)', () => {
    const all = [PINNED.quote, PINNED.trade, PINNED.bar, PINNED.depth10, PINNED.deltas];
    expect(new Set(all).size).toBe(5);
  });
});

describe('fixed-point values use the declared precision', () => {
  it('parses decimal text to the mantissa at its declared precision', () => {
    expect(decimalFromString('3000.12')).toEqual({ raw: 300012n, precision: 2 });
    expect(decimalFromString('1.25')).toEqual({ raw: 125n, precision: 2 });
    expect(decimalFromString('-0.5')).toEqual({ raw: -5n, precision: 1 });
    expect(decimalFromString('42')).toEqual({ raw: 42n, precision: 0 });
    expect(() => decimalFromString('1e5')).toThrow(RangeError);
  });
  it('rescales a kernel raw value to the declared precision, truncating toward zero', () => {
    expect(rawAtPrecision(3000_120_000_000n, 2, 9)).toBe(300012n);
    expect(rawAtPrecision(-1_999_999_999n, 0, 9)).toBe(-1n);
    expect(rawAtPrecision(125n, 9, 9)).toBe(125n);
    expect(rawAtPrecision(125n, 12, 9)).toBe(125n);
  });
});

function changes<F>(fixture: () => F, fingerprint: (fields: F) => Uint8Array, pinned: string, mutations: Record<string, (fields: F) => void>) {
  it.each(Object.entries(mutations))('%s', (_name, mutate) => {
    const fields = fixture();
    mutate(fields);
    expect(toHex(fingerprint(fields))).not.toBe(pinned);
  });
}

const bump = (value: { raw: bigint; precision: number }) => ({ raw: value.raw + 1n, precision: value.precision });

describe('quote fingerprint changes when a hashed field changes', () => {
  changes<QuoteFingerprintFields>(quoteFixture, fingerprintQuote, PINNED.quote, {
    bidPrice: (f) => (f.bidPrice = bump(f.bidPrice)),
    askPrice: (f) => (f.askPrice = bump(f.askPrice)),
    bidSize: (f) => (f.bidSize = bump(f.bidSize)),
    askSize: (f) => (f.askSize = bump(f.askSize)),
    tsEvent: (f) => (f.tsEvent += 1n),
    'precision only': (f) => (f.bidPrice = { raw: f.bidPrice.raw, precision: 3 }),
  });
});

describe('trade fingerprint changes when a hashed field changes', () => {
  changes<TradeFingerprintFields>(tradeFixture, fingerprintTrade, PINNED.trade, {
    price: (f) => (f.price = bump(f.price)),
    size: (f) => (f.size = bump(f.size)),
    'aggressor → Seller': (f) => (f.aggressorSide = 'Seller'),
    'tradeId → T-ABC-124': (f) => (f.tradeId = 'T-ABC-124'),
    tsEvent: (f) => (f.tsEvent += 1n),
  });
});

describe('bar fingerprint changes when a hashed field changes', () => {
  changes<BarFingerprintFields>(barFixture, fingerprintBar, PINNED.bar, {
    'barType → 5-MINUTE': (f) => (f.barType = 'ETHUSDT.BINANCE-5-MINUTE-LAST-EXTERNAL'),
    open: (f) => (f.open = bump(f.open)),
    high: (f) => (f.high = bump(f.high)),
    low: (f) => (f.low = bump(f.low)),
    close: (f) => (f.close = bump(f.close)),
    volume: (f) => (f.volume = bump(f.volume)),
    tsEvent: (f) => (f.tsEvent += 1n),
  });
});

describe('depth10 fingerprint changes when a hashed field changes', () => {
  const level = (f: BookDepth10FingerprintFields, side: 'bids' | 'asks') => f[side][0]!;
  changes<BookDepth10FingerprintFields>(depth10Fixture, fingerprintBookDepth10, PINNED.depth10, {
    'bids[0].price': (f) => (level(f, 'bids').price = bump(level(f, 'bids').price)),
    'bids[0].size': (f) => (level(f, 'bids').size = bump(level(f, 'bids').size)),
    'bidCounts[0]': (f) => ((f.bidCounts as number[])[0]! += 1),
    'asks[0].price': (f) => (level(f, 'asks').price = bump(level(f, 'asks').price)),
    'asks[0].size': (f) => (level(f, 'asks').size = bump(level(f, 'asks').size)),
    'askCounts[0]': (f) => ((f.askCounts as number[])[0]! += 1),
    tsEvent: (f) => (f.tsEvent += 1n),
  });
  it('rejects anything but exactly 10 levels per side', () => {
    const fields = depth10Fixture();
    expect(() => fingerprintBookDepth10({ ...fields, bids: fields.bids.slice(0, 9) })).toThrow(RangeError);
  });
});

describe('deltas fingerprint changes when a hashed field changes', () => {
  const first = (f: BookDeltasFingerprintFields) => f.deltas[0]!;
  changes<BookDeltasFingerprintFields>(deltasFixture, fingerprintBookDeltas, PINNED.deltas, {
    'a third delta': (f) => (f.deltas = [...f.deltas, { ...first(f) }]),
    action: (f) => (first(f).action = 'Delete'),
    side: (f) => (first(f).side = 'Sell'),
    price: (f) => (first(f).price = bump(first(f).price)),
    size: (f) => (first(f).size = bump(first(f).size)),
    orderId: (f) => (first(f).orderId += 1n),
    flags: (f) => (first(f).flags = 0x02),
    'reversed order': (f) => (f.deltas = [...f.deltas].reverse()),
    tsEvent: (f) => (f.tsEvent += 1n),
  });
});
