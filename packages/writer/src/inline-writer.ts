/**
 * The inline writer: the worker writer's behaviour on the calling thread, for the memory backend
 * and simulation. `submit` checks the draft, assigns its seq and queues it in process; the writer
 * loop the worker thread runs (writer-loop.ts) takes it from there when the thread yields:
 * hashing and chaining in seq order, batches and group commits, FIFO anchors, close and abandon,
 * and the halt on a backend failure. Seq order and entry bytes are deterministic.
 */
import {
  assertSeq,
  type ChainHasher,
  type Clock,
  closedError,
  type EntryDraft,
  type EventStore,
  type RunManifest,
  type SnapshotAnchor,
  TapelogError,
  writerClosedError,
} from '@tapelog/core';
import { chainOverStoredEntries } from './chain-replay.js';
import { type CommitStatistics, CommitStatisticsRecorder } from './commit-statistics.js';
import { resolveWriterConfig, type WriterConfig } from './config.js';
import { deferred, type Pending } from './deferred.js';
import { checkDraft } from './draft-check.js';
import { describeHaltReason, HaltLatch, type HaltReason, haltReasonFromError } from './halt.js';
import { InProcessFeed } from './in-process-feed.js';
import { PendingAnchors } from './pending-anchors.js';
import { anchorRecordDraft, checkCoversSeq } from './queue-producer.js';
import { HaltState, RecordKind } from './shared-queue.js';
import { SubmitError } from './submit-error.js';
import { checkUuidHeaders } from './uuid-header.js';
import { deserializeError, type WorkerReply } from './worker-protocol.js';
import type { EventStoreWriter, InlineWriterOptions } from './writer.js';
import { type LoopProgress, WriterLoop } from './writer-loop.js';

interface DurableWaiter {
  seq: number;
  resolve(): void;
  reject(error: unknown): void;
  timer: NodeJS.Timeout | undefined;
}

/** A private word to sleep on: the inline writer blocks its own thread only to time a stall. */
const SLEEP_WORD = new Int32Array(new SharedArrayBuffer(4));

/** Creates the inline writer over an open run (it continues after the run's current hwm). */
export async function createInlineWriter(options: InlineWriterOptions): Promise<EventStoreWriter> {
  const config = resolveWriterConfig(options.config);
  const highWatermark = await options.store.highWatermark();
  const chain = await chainOverStoredEntries(options.store, highWatermark);
  return new InlineWriter(options.store, config, options.clock, new HaltLatch(options.onHalt), highWatermark, chain);
}

/** What the worker writer keeps in shared memory, as plain fields: the loop's hwm, statistics and halt. */
class InlineProgress implements LoopProgress {
  highWatermark: number;
  /** When the hwm last moved (an anchor's ack stall is a lack of progress). */
  lastProgressAt = performance.now();
  readonly commitStatistics = new CommitStatisticsRecorder();
  haltState: number = HaltState.RUNNING;
  readonly #onDurable: (highWatermark: number) => void;

  constructor(highWatermark: number, onDurable: (highWatermark: number) => void) {
    this.highWatermark = highWatermark;
    this.#onDurable = onDurable;
  }

  publishHighWatermark(value: number): void {
    this.highWatermark = value;
    this.lastProgressAt = performance.now();
    this.#onDurable(value);
  }

  storeHalt(state: number, _reason: HaltReason): boolean {
    if (this.haltState !== HaltState.RUNNING) return false;
    this.haltState = state;
    return true;
  }
}

/** How the loop ended a close or abandon: its reply, delivered once the store is released. */
type EndOutcome = { value: RunManifest | number } | { error: Error };

class InlineWriter implements EventStoreWriter {
  readonly #store: EventStore;
  readonly #config: WriterConfig;
  readonly #clock: Clock;
  readonly #latch: HaltLatch;
  readonly #feed = new InProcessFeed();
  readonly #progress: InlineProgress;
  readonly #loop: WriterLoop;
  #nextSeq: number;
  #refused = false;
  #ending = false;
  /** A backend failure stopped the writer; queued entries are discarded, as upstream. */
  #failed = false;
  /** The store was released (close, abandon, failure or terminate). */
  #released = false;
  #waiters: DurableWaiter[] = [];
  readonly #anchors = new PendingAnchors();
  /** What the newest anchor enqueued covers at least: an explicit coversSeq may not go below it. */
  #anchorFloor = 0;
  #ended: Pending<RunManifest | number> | undefined;
  #endOutcome: EndOutcome | undefined;

  constructor(store: EventStore, config: WriterConfig, clock: Clock, latch: HaltLatch, highWatermark: number, chain: ChainHasher) {
    this.#store = store;
    this.#config = config;
    this.#clock = clock;
    this.#latch = latch;
    this.#nextSeq = highWatermark + 1;
    this.#progress = new InlineProgress(highWatermark, (durable) => this.#advance(durable));
    this.#loop = new WriterLoop({ store, feed: this.#feed, control: this.#progress, config, chain, highWatermark, reply: (message) => this.#onReply(message) });
    void this.#loop.run().then(
      () => this.#afterLoop(),
      (error: unknown) => {
        // A bug in the loop is a halt like a backend failure, never an unhandled rejection.
        this.#onReply({ type: 'halted', reason: haltReasonFromError(error) });
        return this.#afterLoop();
      },
    );
  }

  get acceptedSeq(): number {
    return this.#nextSeq - 1;
  }

  get highWatermark(): number {
    return this.#progress.highWatermark;
  }

  commitStatistics(): CommitStatistics {
    return this.#progress.commitStatistics.read();
  }

  get halted(): boolean {
    return this.#latch.fired;
  }

  submit(draft: EntryDraft): number {
    if (this.#refused) throw this.#failed ? SubmitError.closed(describeHaltReason(this.#latch.reason!)) : SubmitError.closed();
    checkDraft(draft);
    // The worker writer parses UUID headers into its ring here; a malformed one takes no seq.
    checkUuidHeaders(draft.headers);
    if (this.#feed.available >= this.#config.channelCapacity) {
      const stalledForMs = this.#stall();
      throw SubmitError.haltSignaled(stalledForMs, this.#config.haltThresholdMs);
    }
    const seq = this.#nextSeq;
    this.#feed.push({ kind: RecordKind.ENTRY, seq, tsPublish: this.#clock.now(), draft });
    this.#nextSeq = seq + 1;
    return seq;
  }

  /**
   * A full queue cannot drain while its own thread is blocked, so waiting cannot help: the
   * submit sleeps for the threshold (as a producer waiting for room would) and then halts.
   */
  #stall(): number {
    const threshold = this.#config.haltThresholdMs;
    const start = performance.now();
    if (threshold > 0) Atomics.wait(SLEEP_WORD, 0, 0, threshold);
    const stalledForMs = performance.now() - start;
    this.#refused = true;
    this.#latch.fire({ kind: 'BackpressureStall', stalledForMs, thresholdMs: threshold });
    return stalledForMs;
  }

  /** The loop's replies, as the worker writer receives them from its thread. */
  #onReply(message: WorkerReply): void {
    switch (message.type) {
      case 'halted':
        this.#failed = true;
        this.#refused = true;
        this.#latch.fire(message.reason);
        // Queued entries are discarded, as upstream; the loop has stopped.
        this.#feed.stop();
        return;
      case 'anchor-recorded':
      case 'anchor-failed':
        this.#anchors.settle(message);
        return;
      case 'closed':
        this.#endOutcome = { value: message.manifest };
        return;
      case 'close-failed':
        this.#endOutcome = { error: deserializeError(message.error) };
        return;
      case 'abandoned':
        this.#endOutcome = { value: message.highWatermark };
        return;
      default:
        return;
    }
  }

  /** The loop ended (close, abandon, failure or terminate): release the run, then settle what waits. */
  async #afterLoop(): Promise<void> {
    await this.#release();
    const disconnected = this.#disconnectedError();
    this.#anchors.rejectAll(disconnected);
    const outcome = this.#endOutcome;
    if (outcome === undefined) this.#ended?.reject(disconnected);
    else if ('error' in outcome) this.#ended?.reject(outcome.error);
    else this.#ended?.resolve(outcome.value);
  }

  #advance(highWatermark: number): void {
    const still: DurableWaiter[] = [];
    for (const waiter of this.#waiters) {
      if (waiter.seq <= highWatermark) {
        if (waiter.timer !== undefined) clearTimeout(waiter.timer);
        waiter.resolve();
      } else {
        still.push(waiter);
      }
    }
    this.#waiters = still;
  }

  async #release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    // Waiters learn first: a backend that never answers must not keep them waiting on its close.
    for (const waiter of this.#waiters) {
      if (waiter.timer !== undefined) clearTimeout(waiter.timer);
      waiter.reject(this.#undurableError(waiter.seq));
    }
    this.#waiters = [];
    await this.#store.close().catch(() => {});
  }

  #undurableError(seq: number): TapelogError {
    const highWatermark = this.#progress.highWatermark;
    if (this.#failed) {
      return new TapelogError(
        'HALTED',
        `seq ${seq} of run ${this.#store.location} will not become durable: the writer halted (${describeHaltReason(this.#latch.reason!)}); durable high-watermark ${highWatermark}`,
      );
    }
    return closedError(`writer is closed: seq ${seq} of run ${this.#store.location} is beyond the final high-watermark ${highWatermark}`);
  }

  #disconnectedError(): TapelogError {
    const reason = this.#latch.reason;
    return new TapelogError(
      'WRITER_DISCONNECTED',
      `writer thread disconnected: the writer of run ${this.#store.location} stopped${reason === undefined ? '' : ` after a halt (${describeHaltReason(reason)})`}; the run stays Running until recovery seals it`,
    );
  }

  waitForDurable(seq: number, options: { timeoutMs?: number } = {}): Promise<void> {
    assertSeq('seq', seq);
    if (this.#progress.highWatermark >= seq) return Promise.resolve();
    if (this.#released) return Promise.reject(this.#undurableError(seq));
    return new Promise((resolve, reject) => {
      const waiter: DurableWaiter = { seq, resolve, reject, timer: undefined };
      if (options.timeoutMs !== undefined) {
        const timeoutMs = options.timeoutMs;
        waiter.timer = setTimeout(() => {
          this.#waiters = this.#waiters.filter((other) => other !== waiter);
          reject(
            new TapelogError(
              'TIMEOUT',
              `seq ${seq} of run ${this.#store.location} was not durable within ${timeoutMs}ms (durable high-watermark ${this.#progress.highWatermark})`,
            ),
          );
        }, timeoutMs);
      }
      this.#waiters.push(waiter);
    });
  }

  async recordSnapshotAnchor(blobRef: string, contentHash: string, coversSeq?: number): Promise<SnapshotAnchor> {
    if (typeof blobRef !== 'string' || typeof contentHash !== 'string') throw new TypeError('blobRef and contentHash must be strings');
    const floor = checkCoversSeq(coversSeq, this.#anchorFloor, this.acceptedSeq);
    if (this.#ending) throw writerClosedError('it is closing, so it records no snapshot anchor');
    if (this.#refused) throw closedError();
    if (this.#feed.available >= this.#config.channelCapacity) {
      const stalledForMs = this.#stall();
      throw new TapelogError('TIMEOUT', `snapshot anchor submit stalled for ${stalledForMs.toFixed(1)}ms, halt threshold ${this.#config.haltThresholdMs}ms`);
    }
    const { id, reply } = this.#anchors.open();
    this.#feed.push({ kind: RecordKind.ANCHOR, seq: id, tsPublish: 0n, draft: anchorRecordDraft(blobRef, contentHash, coversSeq) });
    this.#anchorFloor = floor;
    return this.#watchAck(id, reply);
  }

  /** Halts when an anchor sees no durable progress for the threshold (the backend is stuck). */
  async #watchAck(id: number, reply: Promise<SnapshotAnchor>): Promise<SnapshotAnchor> {
    const threshold = this.#config.haltThresholdMs;
    const start = performance.now();
    this.#progress.lastProgressAt = start;
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      const check = (): void => {
        const idle = performance.now() - this.#progress.lastProgressAt;
        if (idle < threshold) {
          timer = setTimeout(check, threshold - idle);
          return;
        }
        const elapsed = performance.now() - start;
        this.#anchors.forget(id);
        this.#refused = true;
        this.#latch.fire({ kind: 'BackpressureStall', stalledForMs: elapsed, thresholdMs: threshold });
        reject(new TapelogError('TIMEOUT', `snapshot anchor ack stalled for ${elapsed.toFixed(1)}ms, halt threshold ${threshold}ms`));
      };
      timer = setTimeout(check, threshold);
    });
    try {
      return await Promise.race([reply, stalled]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(runEnded: EntryDraft): Promise<RunManifest> {
    checkDraft(runEnded);
    return (await this.#end(RecordKind.CLOSE, runEnded)) as RunManifest;
  }

  async abandon(): Promise<number> {
    return (await this.#end(RecordKind.ABANDON, anchorRecordDraft('', ''))) as number;
  }

  async terminate(): Promise<void> {
    this.#refused = true;
    this.#ending = true;
    this.#loop.stop();
    this.#feed.stop();
    const disconnected = this.#disconnectedError();
    this.#anchors.rejectAll(disconnected);
    this.#ended?.reject(disconnected);
    // The backend may never answer, so its close is started but not awaited.
    void this.#release();
  }

  /** Queues close or abandon behind everything accepted. close ignores an earlier stall halt (upstream: the run still seals Ended) but not a backend failure. */
  #end(kind: number, draft: EntryDraft): Promise<RunManifest | number> {
    if (this.#ending) return Promise.reject(writerClosedError('close or abandon was already called'));
    this.#ending = true;
    this.#refused = true;
    if (this.#failed) return Promise.reject(this.#disconnectedError());
    const ended = deferred<RunManifest | number>();
    this.#ended = ended;
    // RunEnded's tsPublish is read when close is called, as the worker writer does.
    this.#feed.push({ kind, seq: this.#nextSeq, tsPublish: this.#clock.now(), draft });
    return ended.promise;
  }
}
