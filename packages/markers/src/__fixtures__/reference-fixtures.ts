/** Upstream's pinned-vector fixtures (T = 1.7e18 ns; every value at precision 2 unless stated). */
import { decimalFromString } from '../fixed-decimal.js';
import type {
  BarFingerprintFields,
  BookDeltasFingerprintFields,
  BookDepth10FingerprintFields,
  QuoteFingerprintFields,
  TradeFingerprintFields,
} from '../fingerprint.js';
import type { DataCursorSnapshot, HiFiMarker, MarkerGap, StreamDictEntry } from '../model.js';

export const T = 1_700_000_000_000_000_000n;

export function baselineSnapshot(): DataCursorSnapshot {
  return {
    markerSeq: 1,
    eventSeqBefore: 42,
    tsInit: T,
    advanced: [
      { slot: 0, tsInitHi: T + 1n, count: 7 },
      { slot: 1, tsInitHi: T + 2n, count: 3 },
    ],
  };
}

export function baselineHiFi(): HiFiMarker {
  return {
    markerSeq: 1,
    eventSeqBefore: 42,
    slot: 0,
    tsEvent: T,
    tsInit: T + 1n,
    sameTsOrdinal: 0,
    recordFingerprint: new Uint8Array(32).fill(0xab),
  };
}

export function baselineDict(): StreamDictEntry {
  return { slot: 3, dataClass: 'Quote', identifier: 'ETHUSDT.BINANCE' };
}

export function baselineGap(): MarkerGap {
  return { fromMarkerSeq: 5, toMarkerSeq: 9, reason: 'Overflow' };
}

const d = decimalFromString;

export function quoteFixture(): QuoteFingerprintFields {
  return { bidPrice: d('3000.12'), askPrice: d('3000.25'), bidSize: d('1.25'), askSize: d('2.50'), tsEvent: T + 100n };
}

export function tradeFixture(): TradeFingerprintFields {
  return { price: d('3000.18'), size: d('0.75'), aggressorSide: 'Buyer', tradeId: 'T-ABC-123', tsEvent: T + 300n };
}

export function barFixture(): BarFingerprintFields {
  return {
    barType: 'ETHUSDT.BINANCE-1-MINUTE-LAST-EXTERNAL',
    open: d('3000.00'),
    high: d('3010.50'),
    low: d('2995.25'),
    close: d('3005.75'),
    volume: d('42.25'),
    tsEvent: T + 500n,
  };
}

export function depth10Fixture(): BookDepth10FingerprintFields {
  const levels = Array.from({ length: 10 }, (_, i) => i);
  return {
    bids: levels.map((i) => ({ price: { raw: BigInt(300000 - i), precision: 2 }, size: { raw: BigInt(10000 + i), precision: 2 } })),
    asks: levels.map((i) => ({ price: { raw: BigInt(300100 + i), precision: 2 }, size: { raw: BigInt(20000 + i), precision: 2 } })),
    bidCounts: levels.map((i) => 10 + i),
    askCounts: levels.map((i) => 20 + i),
    tsEvent: T + 700n,
  };
}

export function deltasFixture(): BookDeltasFingerprintFields {
  return {
    deltas: [
      { action: 'Add', side: 'Buy', price: d('3000.00'), size: d('1.10'), orderId: 10n, flags: 0x01 },
      { action: 'Update', side: 'Sell', price: d('3001.00'), size: d('2.20'), orderId: 11n, flags: 0x20 },
    ],
    tsEvent: T + 900n,
  };
}

export const PINNED = {
  marker: '898bc3efdaf0edd9167a38a1c3060c9b4dc051658ea2f6132004bed78a481c47',
  hifi: '06542408380d8815ef783b9dbde6b3e3ffdf05605bb17e83ad48474557457517',
  dict: '24e702c5ae20b832ad6907676919fa18a89b79e97dde9df7e1de454191f42fda',
  gap: 'ec1ae0ea813e9971155c6277e95c43de72da6f22ca1832f072aadd9b91f5a3ec',
  quote: '7c6671e34f01b7b547ac8695c6d2cd19c1a37f6d2e3910d9195ed66fd4c02628',
  trade: '6b32a3187d353451a07d92a0d91051406ce4fe912010202b81616ed315f565cb',
  bar: 'f2283ae7ed8d2e6a3874473b11935557b6bc2cbf20446419fbdff8fe51f91e84',
  depth10: '432e1f3951c660acaefb3a44c429b050e5e8d5b6f9c3b89cc969edaad85e8e4d',
  deltas: '4bb7fedc4454d53e08300e1ae7a59e648747152134a921050a2c80edec6d8f9e',
} as const;
