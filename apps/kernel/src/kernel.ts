/**
 * The trading kernel: wires the clock, event loop, bus, cache, engines, venue and strategies
 * together and runs them. It knows nothing about storage: a caller taps its bus (`kernel.bus` is
 * a capture `TapHost`) and receives its periodic cache snapshots through `onSnapshot`.
 */
import { type Clock, type RegisteredComponents, SimulatedClock } from '@tapelog/core';
import { KernelCache } from './cache.js';
import { type Instrument, selectInstruments } from './domain/instruments.js';
import { DataEngine } from './engines/data-engine.js';
import { ExecutionEngine } from './engines/execution-engine.js';
import { MarketDataGenerator } from './engines/market-data-generator.js';
import { Portfolio } from './engines/portfolio.js';
import { RiskEngine, type RiskLimits } from './engines/risk-engine.js';
import { SimulatedVenue } from './engines/simulated-venue.js';
import { EventLoop } from './event-loop.js';
import { IdGenerator } from './id-generator.js';
import { MessageBus } from './message-bus.js';
import { SeededRandom } from './random.js';
import { MarketMaker } from './strategies/market-maker.js';
import { MomentumTrader } from './strategies/momentum-trader.js';
import type { Strategy } from './strategies/strategy.js';
import { TimerService } from './timer-service.js';

/** 2024-01-01T00:00:00Z: where simulated time starts unless a restored cache is later. */
export const DEFAULT_SIMULATION_START = 1_704_067_200_000_000_000n;
export const DEFAULT_SNAPSHOT_INTERVAL = 10_000_000_000n;
// Long enough for every venue answer (a few milliseconds), short enough not to idle in realtime mode.
const STOP_DRAIN = 500_000_000n;

export interface KernelOptions {
  seed: bigint;
  /** How many instruments of the catalogue to trade (default 4). */
  instruments?: number;
  /** The simulated clock by default, starting at `DEFAULT_SIMULATION_START`. */
  clock?: Clock;
  traderId?: string;
  /** A cache restored from a predecessor run; the kernel continues from its state. */
  cache?: KernelCache;
  snapshotInterval?: bigint;
  /** Receives the cache snapshot bytes every `snapshotInterval`; awaited before the loop moves on. */
  onSnapshot?: (blob: Uint8Array, ordinal: number) => Promise<void> | void;
  riskLimits?: RiskLimits;
}

export interface KernelStatistics {
  simulatedNanoseconds: bigint;
  messages: number;
  marketUpdates: number;
  orders: number;
  openOrders: number;
  fills: number;
  denied: number;
  snapshots: number;
  /** Minor units (cents). */
  pnl: bigint;
}

export interface RunProgressOptions {
  /** Called every few thousand loop actions, with the clock at simulated "now". */
  onProgress?: () => Promise<void> | void;
  /** Checked after every action; true stops the run at once (an event-store halt). */
  shouldStop?: () => boolean;
}

export class TradingKernel {
  readonly clock: Clock;
  readonly loop: EventLoop;
  readonly bus = new MessageBus();
  readonly cache: KernelCache;
  readonly instruments: readonly Instrument[];
  readonly traderId: string;
  readonly strategies: readonly Strategy[];
  readonly portfolio: Portfolio;
  readonly venue: SimulatedVenue;
  readonly dataEngine: DataEngine;
  readonly riskEngine: RiskEngine;
  readonly executionEngine: ExecutionEngine;
  readonly #timers: TimerService;
  readonly #options: KernelOptions;
  readonly #startedAt: bigint;
  readonly #restored: boolean;
  #snapshots = 0;
  #started = false;

  constructor(options: KernelOptions) {
    this.#options = options;
    this.clock = options.clock ?? new SimulatedClock(DEFAULT_SIMULATION_START);
    this.loop = new EventLoop(this.clock);
    this.cache = options.cache ?? new KernelCache();
    this.#restored = !this.cache.isEmpty;
    this.instruments = selectInstruments(options.instruments ?? 4);
    this.traderId = options.traderId ?? 'TRADER-001';
    this.#startedAt = this.clock.now();
    // A continuation must not replay the predecessor's market: fork the seed by where it left off.
    const root = new SeededRandom(options.seed);
    const random = this.#restored ? root.fork(`continuation:${this.cache.lastTsInit}`) : root;
    const ids = (name: string) => new IdGenerator(random.fork(`ids:${name}`));
    const { bus, loop, cache, instruments, traderId } = this;
    const generator = new MarketDataGenerator(instruments, random.fork('market'));
    const markPrice = (instrumentId: string) => generator.book(instrumentId).mid;
    this.#timers = new TimerService(loop, bus, ids('timers'));
    this.venue = new SimulatedVenue({ bus, loop, ids: ids('venue'), random: random.fork('venue'), generator, instruments });
    this.dataEngine = new DataEngine({ bus, loop, ids: ids('data'), generator, instruments, onMarketUpdate: (update) => this.venue.onMarketUpdate(update) });
    this.executionEngine = new ExecutionEngine({ bus, loop, cache, ids: ids('execution'), venue: this.venue });
    const riskOptions = { bus, loop, cache, ids: ids('risk'), markPrice };
    this.riskEngine = new RiskEngine(options.riskLimits === undefined ? riskOptions : { ...riskOptions, limits: options.riskLimits });
    this.portfolio = new Portfolio({ bus, loop, cache, ids: ids('portfolio'), timers: this.#timers, traderId, markPrice });
    const context = (name: string) => ({
      bus,
      loop,
      cache,
      ids: ids(name),
      random: random.fork(`strategy:${name}`),
      timers: this.#timers,
      traderId,
      instruments,
    });
    this.strategies = [new MarketMaker('MM-001', context('MM-001')), new MomentumTrader('MOM-001', context('MOM-001'))];
  }

  /** What the run manifest and `RunStarted` record about this kernel. */
  components(): RegisteredComponents {
    const strategies: Record<string, string> = {};
    for (const strategy of this.strategies) strategies[strategy.strategyId] = '';
    return {
      actors: { DataEngine: '', RiskEngine: '', ExecEngine: '', Portfolio: '', SimulatedVenue: '' },
      strategies,
      algorithms: {},
      subscriptions: ['data.quotes.*', 'data.book.deltas.*', 'data.trades.*', 'data.bars.*', 'events.order.*'],
      endpoints: [
        'DataEngine.execute',
        'DataEngine.request',
        'RiskEngine.execute',
        'ExecEngine.execute',
        'ExecEngine.process',
        'Portfolio.update_order',
        'Portfolio.update_account',
      ],
    };
  }

  /** Connects the venue (reconciling a restored cache), starts data, portfolio and strategies. */
  start(): void {
    if (this.#started) throw new Error('the kernel is already started');
    this.#started = true;
    if (this.#restored) this.venue.restoreFrom(this.cache, this.traderId);
    this.venue.connect();
    this.dataEngine.start();
    this.portfolio.start();
    for (const strategy of this.strategies) strategy.start();
    const onSnapshot = this.#options.onSnapshot;
    if (onSnapshot !== undefined) {
      this.#timers.setTimer('Cache.snapshot', this.#options.snapshotInterval ?? DEFAULT_SNAPSHOT_INTERVAL, () => {
        // Taken between two dispatches: it covers exactly the messages captured so far.
        const blob = this.cache.snapshot();
        const ordinal = ++this.#snapshots;
        // A handler that returns a promise is awaited before anything else runs; one that
        // enqueues its anchor synchronously lets the kernel trade on meanwhile.
        const pending = onSnapshot(blob, ordinal);
        if (pending !== undefined) this.loop.defer(() => pending);
      });
    }
  }

  /** Runs the simulation for `duration` nanoseconds of kernel time. */
  async runFor(duration: bigint, options: RunProgressOptions = {}): Promise<void> {
    const { onProgress, shouldStop } = options;
    await this.loop.runUntil(this.clock.now() + duration, {
      ...(onProgress === undefined ? {} : { onYield: onProgress }),
      ...(shouldStop === undefined ? {} : { shouldStop }),
    });
  }

  /** Stops strategies (they cancel their orders), data and timers, then lets the venue answer. */
  async stop(): Promise<void> {
    for (const strategy of this.strategies) strategy.stop();
    this.portfolio.stop();
    this.dataEngine.stop();
    this.#timers.cancelTimer('Cache.snapshot');
    await this.loop.drain(this.clock.now() + STOP_DRAIN);
  }

  statistics(): KernelStatistics {
    return {
      simulatedNanoseconds: this.clock.now() - this.#startedAt,
      messages: this.bus.messageCount,
      marketUpdates: this.dataEngine.marketUpdates,
      orders: this.cache.orderCount,
      openOrders: this.cache.openOrderCount,
      fills: this.cache.fillCount,
      denied: this.riskEngine.denied,
      snapshots: this.#snapshots,
      pnl: this.portfolio.totalPnl(),
    };
  }
}
