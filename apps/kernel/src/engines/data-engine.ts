/**
 * The data engine: drives the seeded market on the event loop, lets the venue match against each
 * move first, then publishes quotes, trades, book deltas and one-second bars to subscribers. It
 * handles subscription commands and answers instrument and bar requests by correlation id.
 */
import { CLIENT_ID, definitionOf, type Instrument } from '../domain/instruments.js';
import type { EventLoop } from '../event-loop.js';
import type { IdGenerator } from '../id-generator.js';
import type { MessageBus } from '../message-bus.js';
import { RequestData, SubscribeData, UnsubscribeData } from '../messages/data-commands.js';
import { BarsResponse, InstrumentResponse } from '../messages/data-responses.js';
import { Bar, type TradeTick } from '../messages/market-data.js';
import type { MarketDataType } from '../messages/vocabulary.js';
import type { MarketDataGenerator, MarketUpdate } from './market-data-generator.js';

export const DATA_ENGINE_EXECUTE = 'DataEngine.execute';
export const DATA_ENGINE_REQUEST = 'DataEngine.request';
const SECOND = 1_000_000_000n;
const BAR_HISTORY = 120;
const REQUEST_LATENCY = 1_000_000n;

export const quoteTopic = (instrumentId: string) => `data.quotes.${instrumentId}`;
export const tradeTopic = (instrumentId: string) => `data.trades.${instrumentId}`;
export const bookDeltasTopic = (instrumentId: string) => `data.book.deltas.${instrumentId}`;
export const barType = (instrumentId: string) => `${instrumentId}-1-SECOND-LAST`;
export const barTopic = (instrumentId: string) => `data.bars.${barType(instrumentId)}`;

interface BarBuilder {
  open: bigint;
  high: bigint;
  low: bigint;
  close: bigint;
  volume: bigint;
}

export interface DataEngineOptions {
  bus: MessageBus;
  loop: EventLoop;
  ids: IdGenerator;
  generator: MarketDataGenerator;
  instruments: readonly Instrument[];
  /** Called with every market move before it is published: the venue matches first. */
  onMarketUpdate: (update: MarketUpdate) => void;
}

export class DataEngine {
  readonly #options: DataEngineOptions;
  readonly #subscriptions = new Set<string>();
  readonly #building = new Map<string, BarBuilder>();
  readonly #history = new Map<string, Bar[]>();
  #running = false;
  marketUpdates = 0;

  constructor(options: DataEngineOptions) {
    this.#options = options;
    options.bus.register(DATA_ENGINE_EXECUTE, (message) => this.#execute(message));
    options.bus.register(DATA_ENGINE_REQUEST, (message) => this.#request(message));
  }

  start(): void {
    const { loop, instruments, generator } = this.#options;
    this.#running = true;
    for (const instrument of instruments) {
      this.#history.set(instrument.instrumentId, []);
      const next = () => {
        if (!this.#running) return;
        this.#marketMove(instrument.instrumentId);
        loop.scheduleAfter(generator.nextInterval(), next);
      };
      loop.scheduleAfter(generator.nextInterval(), next);
    }
    const now = loop.clock.now();
    const closeBars = () => {
      if (!this.#running) return;
      this.#closeBars();
      loop.scheduleAfter(SECOND, closeBars);
    };
    loop.schedule(now - (now % SECOND) + SECOND, closeBars);
  }

  stop(): void {
    this.#running = false;
  }

  isSubscribed(dataType: MarketDataType, instrumentId: string): boolean {
    return this.#subscriptions.has(`${dataType}:${instrumentId}`);
  }

  #execute(message: unknown): void {
    if (message instanceof SubscribeData) this.#subscriptions.add(`${message.dataType}:${message.instrumentId}`);
    else if (message instanceof UnsubscribeData) this.#subscriptions.delete(`${message.dataType}:${message.instrumentId}`);
  }

  #request(message: unknown): void {
    if (!(message instanceof RequestData)) return;
    const { bus, loop, ids, instruments } = this.#options;
    loop.scheduleAfter(REQUEST_LATENCY, () => {
      const now = loop.clock.now();
      if (message.dataType === 'instrument') {
        const instrument = instruments.find((candidate) => candidate.instrumentId === message.instrumentId);
        if (instrument === undefined) return;
        bus.respond(message.requestId, new InstrumentResponse(ids.uuid(), message.requestId, CLIENT_ID, definitionOf(instrument), now));
      } else {
        const history = this.#history.get(message.instrumentId) ?? [];
        const bars = history.slice(-(message.limit ?? history.length));
        bus.respond(message.requestId, new BarsResponse(ids.uuid(), message.requestId, CLIENT_ID, message.instrumentId, bars, now));
      }
    });
  }

  #marketMove(instrumentId: string): void {
    const { bus, loop, generator, onMarketUpdate } = this.#options;
    const update = generator.step(instrumentId, loop.clock.now());
    this.marketUpdates++;
    onMarketUpdate(update);
    if (this.isSubscribed('quotes', instrumentId)) bus.publish(quoteTopic(instrumentId), update.quote);
    if (this.isSubscribed('book_deltas', instrumentId) && update.deltas.deltas.length > 0) bus.publish(bookDeltasTopic(instrumentId), update.deltas);
    if (update.trade !== undefined) {
      this.#aggregate(update.trade);
      if (this.isSubscribed('trades', instrumentId)) bus.publish(tradeTopic(instrumentId), update.trade);
    }
  }

  #aggregate(trade: TradeTick): void {
    const builder = this.#building.get(trade.instrumentId);
    if (builder === undefined) {
      this.#building.set(trade.instrumentId, { open: trade.price, high: trade.price, low: trade.price, close: trade.price, volume: trade.size });
      return;
    }
    if (trade.price > builder.high) builder.high = trade.price;
    if (trade.price < builder.low) builder.low = trade.price;
    builder.close = trade.price;
    builder.volume += trade.size;
  }

  #closeBars(): void {
    const { bus, loop, instruments } = this.#options;
    const now = loop.clock.now();
    for (const instrument of instruments) {
      const id = instrument.instrumentId;
      const builder = this.#building.get(id);
      if (builder === undefined) continue;
      this.#building.delete(id);
      const bar = new Bar(barType(id), id, builder.open, builder.high, builder.low, builder.close, builder.volume, now, now);
      const history = this.#history.get(id)!;
      history.push(bar);
      if (history.length > BAR_HISTORY) history.shift();
      if (this.isSubscribed('bars', id)) bus.publish(barTopic(id), bar);
    }
  }
}
