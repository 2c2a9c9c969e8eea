/**
 * Per-class record fingerprints: a 32-byte BLAKE3 digest of the content fields that identify a
 * market-data record, byte-compatible with upstream's layouts. No fingerprint includes
 * `tsInit` or the instrument id (the bar fingerprint includes the bar-type string).
 */
import type { DataClass } from './data-class.js';
import type { FixedDecimal } from './fixed-decimal.js';
import { domainBytes, HashInput } from './hash-input.js';

export type AggressorSide = 'NoAggressor' | 'Buyer' | 'Seller';
export type OrderSide = 'NoOrderSide' | 'Buy' | 'Sell';
export type BookAction = 'Add' | 'Update' | 'Delete' | 'Clear';

/** The model discriminants upstream hashes as one byte. */
const AGGRESSOR_SIDE_BYTE: Record<AggressorSide, number> = { NoAggressor: 0, Buyer: 1, Seller: 2 };
const ORDER_SIDE_BYTE: Record<OrderSide, number> = { NoOrderSide: 0, Buy: 1, Sell: 2 };
const BOOK_ACTION_BYTE: Record<BookAction, number> = { Add: 1, Update: 2, Delete: 3, Clear: 4 };

export const DEPTH10_LEVELS = 10;

export interface QuoteFingerprintFields {
  bidPrice: FixedDecimal;
  askPrice: FixedDecimal;
  bidSize: FixedDecimal;
  askSize: FixedDecimal;
  tsEvent: bigint;
}

export interface TradeFingerprintFields {
  price: FixedDecimal;
  size: FixedDecimal;
  aggressorSide: AggressorSide;
  tradeId: string;
  tsEvent: bigint;
}

export interface BarFingerprintFields {
  /** The bar-type string, for example `ETHUSDT.BINANCE-1-MINUTE-LAST-EXTERNAL`. */
  barType: string;
  open: FixedDecimal;
  high: FixedDecimal;
  low: FixedDecimal;
  close: FixedDecimal;
  volume: FixedDecimal;
  tsEvent: bigint;
}

/** One book level as the depth fingerprint sees it (side, order id, flags are not hashed). */
export interface BookLevelFields {
  price: FixedDecimal;
  size: FixedDecimal;
}

export interface BookDepth10FingerprintFields {
  /** Exactly 10 bid levels, best first. */
  bids: readonly BookLevelFields[];
  /** Exactly 10 ask levels, best first. */
  asks: readonly BookLevelFields[];
  bidCounts: readonly number[];
  askCounts: readonly number[];
  tsEvent: bigint;
}

export interface BookDeltaFields {
  action: BookAction;
  side: OrderSide;
  price: FixedDecimal;
  size: FixedDecimal;
  orderId: bigint;
  flags: number;
}

export interface BookDeltasFingerprintFields {
  deltas: readonly BookDeltaFields[];
  /** The container's `tsEvent` (upstream takes it from the last delta). */
  tsEvent: bigint;
}

/** The fingerprint input of each class, for typed extractor definitions. */
export interface FingerprintFieldsByClass {
  Quote: QuoteFingerprintFields;
  Trade: TradeFingerprintFields;
  Bar: BarFingerprintFields;
  BookDepth10: BookDepth10FingerprintFields;
  BookDeltas: BookDeltasFingerprintFields;
}

export const FINGERPRINT_DOMAINS: Readonly<Record<DataClass, string>> = Object.freeze({
  Quote: 'nautilus-event-store/marker/fingerprint/quote/v1',
  Trade: 'nautilus-event-store/marker/fingerprint/trade/v1',
  Bar: 'nautilus-event-store/marker/fingerprint/bar/v1',
  BookDepth10: 'nautilus-event-store/marker/fingerprint/depth10/v1',
  BookDeltas: 'nautilus-event-store/marker/fingerprint/deltas/v1',
});

const QUOTE_DOMAIN = domainBytes(FINGERPRINT_DOMAINS.Quote);
const TRADE_DOMAIN = domainBytes(FINGERPRINT_DOMAINS.Trade);
const BAR_DOMAIN = domainBytes(FINGERPRINT_DOMAINS.Bar);
const DEPTH10_DOMAIN = domainBytes(FINGERPRINT_DOMAINS.BookDepth10);
const DELTAS_DOMAIN = domainBytes(FINGERPRINT_DOMAINS.BookDeltas);

const input = new HashInput();

/** PRICE: U8 precision ‖ 16-byte big-endian two's-complement mantissa. */
function price(value: FixedDecimal): void {
  input.u8(value.precision).i128(value.raw);
}

/** QTY: U8 precision ‖ 16-byte big-endian unsigned mantissa. */
function quantity(value: FixedDecimal): void {
  input.u8(value.precision).u128(value.raw);
}

function byteOf<K extends string>(table: Record<K, number>, value: K, what: string): number {
  const byte = table[value];
  if (byte === undefined) throw new RangeError(`unknown ${what} ${String(value)}`);
  return byte;
}

export function fingerprintQuote(fields: QuoteFingerprintFields): Uint8Array {
  input.reset().raw(QUOTE_DOMAIN);
  price(fields.bidPrice);
  price(fields.askPrice);
  quantity(fields.bidSize);
  quantity(fields.askSize);
  return input.u64Big(fields.tsEvent).digest();
}

export function fingerprintTrade(fields: TradeFingerprintFields): Uint8Array {
  input.reset().raw(TRADE_DOMAIN);
  price(fields.price);
  quantity(fields.size);
  input.u8(byteOf(AGGRESSOR_SIDE_BYTE, fields.aggressorSide, 'aggressor side'));
  input.lengthPrefixedString(fields.tradeId);
  return input.u64Big(fields.tsEvent).digest();
}

export function fingerprintBar(fields: BarFingerprintFields): Uint8Array {
  input.reset().raw(BAR_DOMAIN).lengthPrefixedString(fields.barType);
  price(fields.open);
  price(fields.high);
  price(fields.low);
  price(fields.close);
  quantity(fields.volume);
  return input.u64Big(fields.tsEvent).digest();
}

/** Exactly 20 levels are always hashed (10 bids, then 10 asks), with no length prefix. */
export function fingerprintBookDepth10(fields: BookDepth10FingerprintFields): Uint8Array {
  for (const [name, list] of [
    ['bids', fields.bids],
    ['asks', fields.asks],
    ['bidCounts', fields.bidCounts],
    ['askCounts', fields.askCounts],
  ] as const) {
    if (list.length !== DEPTH10_LEVELS) throw new RangeError(`a depth-10 snapshot needs exactly ${DEPTH10_LEVELS} ${name}, got ${list.length}`);
  }
  input.reset().raw(DEPTH10_DOMAIN);
  for (let level = 0; level < DEPTH10_LEVELS; level++) {
    price(fields.bids[level]!.price);
    quantity(fields.bids[level]!.size);
    input.u32(fields.bidCounts[level]!);
  }
  for (let level = 0; level < DEPTH10_LEVELS; level++) {
    price(fields.asks[level]!.price);
    quantity(fields.asks[level]!.size);
    input.u32(fields.askCounts[level]!);
  }
  return input.u64Big(fields.tsEvent).digest();
}

/** Per-delta sequence and timestamps are not hashed; the container's `tsEvent` is. */
export function fingerprintBookDeltas(fields: BookDeltasFingerprintFields): Uint8Array {
  input.reset().raw(DELTAS_DOMAIN).u64(fields.deltas.length);
  for (const delta of fields.deltas) {
    input.u8(byteOf(BOOK_ACTION_BYTE, delta.action, 'book action')).u8(byteOf(ORDER_SIDE_BYTE, delta.side, 'order side'));
    price(delta.price);
    quantity(delta.size);
    input.u64Big(delta.orderId).u8(delta.flags);
  }
  return input.u64Big(fields.tsEvent).digest();
}

const FINGERPRINTERS: { [C in DataClass]: (fields: FingerprintFieldsByClass[C]) => Uint8Array } = {
  Quote: fingerprintQuote,
  Trade: fingerprintTrade,
  Bar: fingerprintBar,
  BookDepth10: fingerprintBookDepth10,
  BookDeltas: fingerprintBookDeltas,
};

/** The fingerprint of `fields` under the layout of `dataClass`. */
export function fingerprintRecord<C extends DataClass>(dataClass: C, fields: FingerprintFieldsByClass[C]): Uint8Array {
  return (FINGERPRINTERS[dataClass] as (fields: FingerprintFieldsByClass[C]) => Uint8Array)(fields);
}
