/**
 * The seeded market: for each instrument a mid price that random-walks in whole ticks with
 * trending regimes, a five-level book around it, trade prints, and the quotes and book deltas
 * that describe each change. Integer arithmetic only, so a seed always gives the same market.
 */
import type { Instrument } from '../domain/instruments.js';
import type { BookDelta } from '../messages/market-data.js';
import { OrderBookDeltas, QuoteTick, TradeTick } from '../messages/market-data.js';
import type { OrderSide } from '../messages/vocabulary.js';
import type { SeededRandom } from '../random.js';

export const BOOK_DEPTH = 5;

export interface BookLevel {
  price: bigint;
  size: bigint;
}

/** One instrument's market as the venue matches against it. */
export interface MarketBook {
  readonly instrument: Instrument;
  bids: BookLevel[];
  asks: BookLevel[];
  mid: bigint;
  /** −1, 0 or +1 tick per step: the regime momentum strategies look for. */
  trend: number;
  sequence: number;
  tradeCounter: number;
}

export interface MarketUpdate {
  quote: QuoteTick;
  deltas: OrderBookDeltas;
  trade: TradeTick | undefined;
}

function levelsAround(random: SeededRandom, mid: bigint, spreadTicks: number, tick: bigint): { bids: BookLevel[]; asks: BookLevel[] } {
  const halfDown = BigInt(Math.floor(spreadTicks / 2)) * tick;
  const halfUp = BigInt(Math.ceil(spreadTicks / 2)) * tick;
  const bids: BookLevel[] = [];
  const asks: BookLevel[] = [];
  for (let level = 0; level < BOOK_DEPTH; level++) {
    bids.push({ price: mid - halfDown - BigInt(level) * tick, size: BigInt(random.nextIntBetween(1, 10) * 50) });
    asks.push({ price: mid + halfUp + BigInt(level) * tick, size: BigInt(random.nextIntBetween(1, 10) * 50) });
  }
  return { bids, asks };
}

function sideDeltas(side: OrderSide, before: readonly BookLevel[], after: readonly BookLevel[], out: BookDelta[]): void {
  const previous = new Map<bigint, bigint>();
  for (const level of before) previous.set(level.price, level.size);
  const current = new Set<bigint>();
  for (const level of after) {
    current.add(level.price);
    const size = previous.get(level.price);
    if (size === undefined) out.push({ action: 'ADD', side, price: level.price, size: level.size });
    else if (size !== level.size) out.push({ action: 'UPDATE', side, price: level.price, size: level.size });
  }
  for (const level of before) {
    if (!current.has(level.price)) out.push({ action: 'DELETE', side, price: level.price, size: 0n });
  }
}

export class MarketDataGenerator {
  readonly #random: SeededRandom;
  readonly #books = new Map<string, MarketBook>();

  constructor(instruments: readonly Instrument[], random: SeededRandom) {
    this.#random = random;
    for (const instrument of instruments) {
      const mid = instrument.initialPrice;
      const { bids, asks } = levelsAround(random, mid, 2, instrument.tickSize);
      this.#books.set(instrument.instrumentId, { instrument, bids, asks, mid, trend: 0, sequence: 0, tradeCounter: 0 });
    }
  }

  book(instrumentId: string): MarketBook {
    const book = this.#books.get(instrumentId);
    if (book === undefined) throw new RangeError(`no market for instrument ${instrumentId}`);
    return book;
  }

  /** Nanoseconds until an instrument's next market update: 10 to 60 ms. */
  nextInterval(): bigint {
    return BigInt(this.#random.nextIntBetween(10, 60)) * 1_000_000n;
  }

  /** Moves one instrument's market and describes the move. */
  step(instrumentId: string, now: bigint): MarketUpdate {
    const random = this.#random;
    const book = this.book(instrumentId);
    const tick = book.instrument.tickSize;
    if (random.chance(1, 150)) book.trend = random.nextIntBetween(-1, 1);
    let moveTicks = book.trend + random.nextIntBetween(-2, 2);
    if (random.chance(1, 400)) moveTicks += random.nextIntBetween(-15, 15);
    const floor = book.instrument.initialPrice / 4n;
    book.mid = book.mid + BigInt(moveTicks) * tick;
    if (book.mid < floor) book.mid = floor;
    const before = { bids: book.bids, asks: book.asks };
    const after = levelsAround(random, book.mid, random.nextIntBetween(1, 4), tick);
    book.bids = after.bids;
    book.asks = after.asks;
    book.sequence++;
    const deltas: BookDelta[] = [];
    sideDeltas('BUY', before.bids, after.bids, deltas);
    sideDeltas('SELL', before.asks, after.asks, deltas);
    const bestBid = after.bids[0]!;
    const bestAsk = after.asks[0]!;
    let trade: TradeTick | undefined;
    if (random.chance(35, 100)) {
      const aggressor: OrderSide = random.chance(1, 2) ? 'BUY' : 'SELL';
      const price = aggressor === 'BUY' ? bestAsk.price : bestBid.price;
      const size = BigInt(random.nextIntBetween(1, 40) * 5);
      trade = new TradeTick(instrumentId, price, size, aggressor, `${book.instrument.symbol}-T${++book.tradeCounter}`, now, now);
    }
    return {
      quote: new QuoteTick(instrumentId, bestBid.price, bestAsk.price, bestBid.size, bestAsk.size, now, now),
      deltas: new OrderBookDeltas(instrumentId, deltas, book.sequence, now, now),
      trade,
    };
  }
}
