/**
 * The inline writer: the same behaviour as the worker writer on the calling thread, for the
 * memory backend and simulation. `submit` hashes and chains the entry at once (so seq order and
 * content are deterministic) and queues it; batches (under backlog, groups) are committed
 * asynchronously, one at a time,
 * with anchors and close in FIFO order with entries.
 */
import {
  TapelogError,
  assertSeq,
  writerClosedError,
  buildAppendEntry,
  closedError,
  computeRunIntegrity,
  type AppendEntry,
  type ChainHasher,
  type Clock,
  type EntryDraft,
  type EventStore,
  type RunManifest,
  type SnapshotAnchor,
} from '@tapelog/core';
import { chainOverStoredEntries } from './chain-replay.js';
import { CommitStatisticsRecorder, type CommitStatistics } from './commit-statistics.js';
import { resolveWriterConfig, type WriterConfig } from './config.js';
import { checkDraft } from './draft-check.js';
import { groupCommitSize } from './group-commit.js';
import { HaltLatch, describeHaltReason, haltReasonFromError } from './halt.js';
import { SubmitError } from './submit-error.js';
import type { EventStoreWriter, InlineWriterOptions } from './writer.js';

/** A request that waits in the queue behind the entries submitted before it. */
type QueuedOperation =
  | { kind: 'anchor'; blobRef: string; contentHash: string; resolve(anchor: SnapshotAnchor): void; reject(error: unknown): void }
  | { kind: 'close'; seq: number; draft: EntryDraft; resolve(manifest: RunManifest): void; reject(error: unknown): void }
  | { kind: 'abandon'; resolve(highWatermark: number): void; reject(error: unknown): void };

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

class InlineWriter implements EventStoreWriter {
  readonly #store: EventStore;
  readonly #config: WriterConfig;
  readonly #clock: Clock;
  readonly #latch: HaltLatch;
  readonly #chain: ChainHasher;
  /** Accepted entries and operations not yet handed to the backend, in FIFO order. */
  #queue: Array<AppendEntry | QueuedOperation> = [];
  #queuedEntries = 0;
  /** When the oldest queued entry was accepted: the batch latency window. */
  #batchOpenedAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #pumping = false;
  #highWatermark: number;
  #lastProgressAt = performance.now();
  #nextSeq: number;
  #refused = false;
  #ending = false;
  /** A backend failure stopped the writer; queued entries are discarded, as upstream. */
  #failed = false;
  /** The store was released (close, abandon or failure). */
  #released = false;
  /** `terminate` ended the writer: nothing more is handed to the backend. */
  #terminated = false;
  #waiters: DurableWaiter[] = [];
  readonly #commitStatistics = new CommitStatisticsRecorder();

  constructor(store: EventStore, config: WriterConfig, clock: Clock, latch: HaltLatch, highWatermark: number, chain: ChainHasher) {
    this.#store = store;
    this.#config = config;
    this.#clock = clock;
    this.#latch = latch;
    this.#chain = chain;
    this.#highWatermark = highWatermark;
    this.#nextSeq = highWatermark + 1;
  }

  get acceptedSeq(): number {
    return this.#nextSeq - 1;
  }

  get highWatermark(): number {
    return this.#highWatermark;
  }

  commitStatistics(): CommitStatistics {
    return this.#commitStatistics.read();
  }

  get halted(): boolean {
    return this.#latch.fired;
  }

  submit(draft: EntryDraft): number {
    if (this.#refused) throw this.#failed ? SubmitError.closed(describeHaltReason(this.#latch.reason!)) : SubmitError.closed();
    checkDraft(draft);
    if (this.#queue.length >= this.#config.channelCapacity) {
      const stalledForMs = this.#stall();
      throw SubmitError.haltSignaled(stalledForMs, this.#config.haltThresholdMs);
    }
    const seq = this.#nextSeq;
    // Hashing here rejects a malformed header (RangeError) before the entry takes a seq.
    const entry = buildAppendEntry(draft, seq, this.#clock.now());
    this.#chain.update(entry.entry.entryHash);
    this.#nextSeq = seq + 1;
    if (this.#queuedEntries === 0) this.#batchOpenedAt = performance.now();
    this.#queue.push(entry);
    this.#queuedEntries++;
    this.#schedule();
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

  /** Commits now when a batch is full or an operation waits; otherwise when the latency window closes. */
  #schedule(): void {
    if (this.#pumping || this.#terminated) return;
    const head = this.#queue[0];
    if (head === undefined) return;
    const now = performance.now();
    const due = this.#queuedEntries >= this.#config.maxBatchEntries || this.#queue.length > this.#queuedEntries || now >= this.#batchOpenedAt + this.#config.maxBatchLatencyMs;
    if (due) {
      if (this.#timer !== undefined) clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#pumping = true;
      queueMicrotask(() => void this.#pump());
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#schedule();
      }, Math.max(0, this.#batchOpenedAt + this.#config.maxBatchLatencyMs - now));
    }
  }

  async #pump(): Promise<void> {
    try {
      while (!this.#failed && !this.#terminated && this.#queue.length > 0) {
        const head = this.#queue[0]!;
        if ('entry' in head) {
          const operationWaits = this.#queue.length > this.#queuedEntries;
          const due = operationWaits || this.#queuedEntries >= this.#config.maxBatchEntries || performance.now() >= this.#batchOpenedAt + this.#config.maxBatchLatencyMs;
          if (!due) break;
          await this.#flushHead();
        } else {
          this.#queue.shift();
          await this.#run(head);
        }
      }
    } finally {
      this.#pumping = false;
    }
    if (!this.#failed && !this.#terminated) this.#schedule();
  }

  /** Commits the consecutive entries at the head of the queue: one batch, or under backlog one group. */
  async #flushHead(): Promise<void> {
    let available = 0;
    const limit = Math.min(this.#queuedEntries, this.#queue.length);
    while (available < limit && 'entry' in this.#queue[available]!) available++;
    const behind = performance.now() > this.#batchOpenedAt + this.#config.maxBatchLatencyMs;
    const count = groupCommitSize(this.#queue, available, this.#config.maxBatchEntries, behind);
    const batch = this.#queue.splice(0, count) as AppendEntry[];
    this.#queuedEntries -= count;
    this.#batchOpenedAt = performance.now();
    try {
      const started = performance.now();
      const highWatermark = await this.#store.appendBatch(batch);
      this.#commitStatistics.record(count, performance.now() - started);
      this.#advance(highWatermark);
    } catch (error) {
      await this.#fail(error);
    }
  }

  #advance(highWatermark: number): void {
    this.#highWatermark = highWatermark;
    this.#lastProgressAt = performance.now();
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

  async #run(operation: QueuedOperation): Promise<void> {
    if (operation.kind === 'anchor') {
      const anchor: SnapshotAnchor = { highWatermark: this.#highWatermark, blobRef: operation.blobRef, contentHash: operation.contentHash };
      try {
        await this.#store.recordSnapshotAnchor(anchor);
        operation.resolve(anchor);
      } catch (error) {
        // Any anchor failure is fail-stop, as upstream.
        operation.reject(error);
        await this.#fail(error);
      }
      return;
    }
    if (operation.kind === 'abandon') {
      await this.#release();
      operation.resolve(this.#highWatermark);
      return;
    }
    // RunEnded's tsPublish is read when close is processed, as upstream's writer thread does.
    const runEnded = buildAppendEntry(operation.draft, operation.seq, this.#clock.now());
    try {
      const started = performance.now();
      const highWatermark = await this.#store.appendBatch([runEnded]);
      this.#commitStatistics.record(1, performance.now() - started);
      this.#advance(highWatermark);
      this.#chain.update(runEnded.entry.entryHash);
    } catch (error) {
      operation.reject(new TapelogError('HALTED', `writer fail-stopped before seal: ${(error as Error)?.message ?? String(error)}`, { cause: error }));
      await this.#fail(error);
      return;
    }
    try {
      const manifest = await this.#store.seal('Ended', this.#chain.headHex, await computeRunIntegrity(this.#store));
      await this.#release();
      operation.resolve(manifest);
    } catch (error) {
      operation.reject(error);
      await this.#fail(error);
    }
  }

  async #fail(error: unknown): Promise<void> {
    if (this.#failed) return;
    this.#failed = true;
    this.#refused = true;
    this.#latch.fire(haltReasonFromError(error));
    const disconnected = this.#disconnectedError();
    for (const item of this.#queue) if (!('entry' in item)) item.reject(disconnected);
    this.#queue = [];
    this.#queuedEntries = 0;
    await this.#release();
  }

  async #release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    // Waiters learn first: a backend that never answers must not keep them waiting on its close.
    for (const waiter of this.#waiters) {
      if (waiter.timer !== undefined) clearTimeout(waiter.timer);
      waiter.reject(this.#undurableError(waiter.seq));
    }
    this.#waiters = [];
    await this.#store.close().catch(() => {});
  }

  #undurableError(seq: number): TapelogError {
    if (this.#failed) {
      return new TapelogError('HALTED', `seq ${seq} of run ${this.#store.location} will not become durable: the writer halted (${describeHaltReason(this.#latch.reason!)}); durable high-watermark ${this.#highWatermark}`);
    }
    return closedError(`writer is closed: seq ${seq} of run ${this.#store.location} is beyond the final high-watermark ${this.#highWatermark}`);
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
    if (this.#highWatermark >= seq) return Promise.resolve();
    if (this.#released) return Promise.reject(this.#undurableError(seq));
    return new Promise((resolve, reject) => {
      const waiter: DurableWaiter = { seq, resolve, reject, timer: undefined };
      if (options.timeoutMs !== undefined) {
        const timeoutMs = options.timeoutMs;
        waiter.timer = setTimeout(() => {
          this.#waiters = this.#waiters.filter((other) => other !== waiter);
          reject(new TapelogError('TIMEOUT', `seq ${seq} of run ${this.#store.location} was not durable within ${timeoutMs}ms (durable high-watermark ${this.#highWatermark})`));
        }, timeoutMs);
      }
      this.#waiters.push(waiter);
    });
  }

  async recordSnapshotAnchor(blobRef: string, contentHash: string): Promise<SnapshotAnchor> {
    if (typeof blobRef !== 'string' || typeof contentHash !== 'string') throw new TypeError('blobRef and contentHash must be strings');
    if (this.#ending) throw writerClosedError('it is closing, so it records no snapshot anchor');
    if (this.#refused) throw closedError();
    if (this.#queue.length >= this.#config.channelCapacity) {
      const stalledForMs = this.#stall();
      throw new TapelogError('TIMEOUT', `snapshot anchor submit stalled for ${stalledForMs.toFixed(1)}ms, halt threshold ${this.#config.haltThresholdMs}ms`);
    }
    const reply = new Promise<SnapshotAnchor>((resolve, reject) => {
      this.#queue.push({ kind: 'anchor', blobRef, contentHash, resolve, reject });
    });
    this.#schedule();
    return this.#watchAck(reply);
  }

  /** Halts when an anchor sees no durable progress for the threshold (the backend is stuck). */
  async #watchAck(reply: Promise<SnapshotAnchor>): Promise<SnapshotAnchor> {
    const threshold = this.#config.haltThresholdMs;
    const start = performance.now();
    this.#lastProgressAt = start;
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      const check = (): void => {
        const idle = performance.now() - this.#lastProgressAt;
        if (idle < threshold) {
          timer = setTimeout(check, threshold - idle);
          return;
        }
        const elapsed = performance.now() - start;
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
    return this.#end((resolve, reject) => ({ kind: 'close', seq: this.#nextSeq, draft: runEnded, resolve: resolve as (manifest: RunManifest) => void, reject })) as Promise<RunManifest>;
  }

  async abandon(): Promise<number> {
    return this.#end((resolve, reject) => ({ kind: 'abandon', resolve: resolve as (highWatermark: number) => void, reject })) as Promise<number>;
  }

  async terminate(): Promise<void> {
    this.#refused = true;
    this.#ending = true;
    this.#terminated = true;
    const disconnected = this.#disconnectedError();
    for (const item of this.#queue) if (!('entry' in item)) item.reject(disconnected);
    this.#queue = [];
    this.#queuedEntries = 0;
    // The backend may never answer, so its close is started but not awaited.
    void this.#release();
  }

  /** close ignores an earlier stall halt (upstream: the run still seals Ended) but not a backend failure. */
  #end(operation: (resolve: (value: unknown) => void, reject: (error: unknown) => void) => QueuedOperation): Promise<unknown> {
    if (this.#ending) return Promise.reject(writerClosedError('close or abandon was already called'));
    this.#ending = true;
    this.#refused = true;
    if (this.#failed) return Promise.reject(this.#disconnectedError());
    const result = new Promise<unknown>((resolve, reject) => this.#queue.push(operation(resolve, reject)));
    this.#schedule();
    return result;
  }
}
