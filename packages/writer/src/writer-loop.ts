/**
 * The one batching loop of both writers: takes records from its feed (the shared ring on the
 * writer thread, an in-process queue for the inline writer) as soon as they are published,
 * hashing and chaining them in seq order; commits batches of `maxBatchEntries`, or under backlog
 * one group of everything staged (see group-commit.ts), one at a time, or a second full one while
 * the first is written when the backend declares pipelinedAppends; publishes the durable hwm in
 * order; and runs anchors, close and abandon in FIFO order with entries. A backend failure stores
 * the halt and stops the loop.
 */
import { type AppendEntry, buildAppendEntry, type ChainHasher, computeRunIntegrity, type EventStore, outOfOrderError, TapelogError } from '@tapelog/core';
import type { CommitStatisticsRecorder } from './commit-statistics.js';
import type { WriterConfig } from './config.js';
import { GROUP_COMMIT_MAX_ENTRIES, groupCommitSize } from './group-commit.js';
import { type HaltReason, haltReasonFromError } from './halt.js';
import { declaresPipelinedAppends, MAX_PIPELINED_APPENDS } from './pipelining.js';
import { anchorRecordCovers } from './queue-producer.js';
import type { QueueRecord, RecordFeed } from './record-feed.js';
import { HaltState, RecordKind } from './shared-queue.js';
import { serializeError, type WorkerReply } from './worker-protocol.js';

/** Records taken per pass: small enough that a finished flush is noticed within a fraction of a millisecond. */
const TAKE_CHUNK = 64;
/** Full batches the stage holds at least, and the stage size below which it never goes. */
const STAGE_BATCHES = 4;
const STAGE_MINIMUM = 1024;
/** Longest single sleep on the ring, so a missed wake-up can never stall the loop for long. */
const MAX_IDLE_WAIT_MS = 1000;

/** Lets pending I/O callbacks (a finished flush) run before the loop continues. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The backend's promise for one append; a synchronous throw becomes a rejection. */
function callAppend(store: EventStore, batch: readonly AppendEntry[]): Promise<number> {
  try {
    return Promise.resolve(store.appendBatch(batch));
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Where the loop publishes what it achieved: the durable hwm, commit statistics and the halt
 * (shared memory for the worker writer, `ControlWords`; plain fields for the inline writer).
 */
export interface LoopProgress {
  readonly highWatermark: number;
  /** Publishes the durable hwm and wakes whoever waits for durability. */
  publishHighWatermark(value: number): void;
  readonly commitStatistics: CommitStatisticsRecorder;
  /** Stores the first halt; later ones are ignored. */
  storeHalt(state: number, reason: HaltReason): boolean;
}

export interface WriterLoopOptions {
  store: EventStore;
  feed: RecordFeed;
  control: LoopProgress;
  config: WriterConfig;
  chain: ChainHasher;
  highWatermark: number;
  reply(message: WorkerReply): void;
}

export class WriterLoop {
  readonly #store: EventStore;
  readonly #feed: RecordFeed;
  readonly #control: LoopProgress;
  readonly #config: WriterConfig;
  readonly #chain: ChainHasher;
  readonly #reply: (message: WorkerReply) => void;
  /**
   * Entries taken from the ring, hashed, not yet handed to the backend, at most `#stageLimit`;
   * with the ring's `channelCapacity` and the batches in flight, that bounds the accepted entries
   * waiting for durability.
   */
  #staged: AppendEntry[] = [];
  /** When each staged entry was taken (the latency window opens at dequeue, as upstream). */
  #stagedAt: number[] = [];
  /** An anchor, close or abandon record reached in the ring; taking stops until it is handled. */
  #pendingControl: QueueRecord | undefined;
  /**
   * Appends handed to the backend and not yet handled, oldest first: at most one, or
   * `#maxInFlight` when the backend pipelines. Each promise settles (never rejects) once its
   * append's outcome was handled, and not before the appends issued earlier were.
   */
  readonly #inFlight: Array<Promise<void>> = [];
  readonly #maxInFlight: number;
  #nextSeq: number;
  #failed = false;
  /** `stop` was called: nothing more is handed to the backend. */
  #stopped = false;
  /**
   * When the writer last went to sleep without asking to be woken per record: records published
   * since then were not taken as they came, so their latency window opens at this time instead
   * of when they are finally taken (which would add the length of the sleep to their latency).
   */
  #sleptSince: number | undefined;

  constructor(options: WriterLoopOptions) {
    this.#store = options.store;
    this.#feed = options.feed;
    this.#control = options.control;
    this.#config = options.config;
    this.#chain = options.chain;
    this.#reply = options.reply;
    this.#nextSeq = options.highWatermark + 1;
    this.#maxInFlight = declaresPipelinedAppends(options.store) ? MAX_PIPELINED_APPENDS : 1;
  }

  /** The loop fail-stopped (a backend failure, lost order, a failed anchor or seal). */
  get failed(): boolean {
    return this.#failed;
  }

  /** Runs until close, abandon or a backend failure. Never rejects. */
  async run(): Promise<void> {
    try {
      await this.#loop();
    } finally {
      // After a failure a later append may still be pending; the store is closed only after it settles.
      await Promise.all([...this.#inFlight]);
    }
  }

  /**
   * Ends the loop at its next step without handing anything more to the backend (the inline
   * writer's terminate; the worker writer's thread is simply terminated). The feed must wake it.
   */
  stop(): void {
    this.#stopped = true;
  }

  async #loop(): Promise<void> {
    const maxBatch = this.#config.maxBatchEntries;
    for (;;) {
      if (this.#failed || this.#stopped) return;
      // Starting the next flush comes before taking more: the disk must never wait on hashing.
      const inFlight = this.#inFlight.length;
      if (inFlight === 0) {
        const staged = this.#staged.length;
        if (
          staged >= maxBatch ||
          (staged > 0 && (this.#pendingControl !== undefined || performance.now() >= this.#stagedAt[0]! + this.#config.maxBatchLatencyMs))
        ) {
          this.#startFlush(groupCommitSize(this.#staged, staged, maxBatch, this.#behind()));
          continue;
        }
        if (this.#pendingControl !== undefined) {
          const finished = await this.#handleControl(this.#pendingControl);
          this.#pendingControl = undefined;
          if (finished || this.#failed) return;
          continue;
        }
      } else if (inFlight < this.#maxInFlight && this.#staged.length >= maxBatch && this.#pendingControl === undefined) {
        // The backend prepares this full batch while the previous one is being written. Partial
        // batches (deadline) and the flush before an anchor or close still wait for an idle backend.
        this.#startFlush(groupCommitSize(this.#staged, this.#staged.length, maxBatch, this.#behind()));
        continue;
      }
      const taken = this.#take();
      if (this.#failed) return;
      if (taken > 0) {
        // A flush may have finished while this chunk was hashed; let its callback run so the
        // next flush starts now rather than after the whole backlog is staged.
        if (this.#inFlight.length > 0) await yieldToEventLoop();
        continue;
      }
      await this.#waitForWork();
    }
  }

  /**
   * How many taken entries may wait ahead of the backend: enough for several batches, so the
   * next batch is always hashed before the disk asks for it, but no more. Every staged entry is
   * a handful of live objects; a stage of the whole channel capacity (10,000) made each young
   * generation collection copy them all and cost ~15% of durable throughput. The ring, bounded
   * by `channelCapacity`, still absorbs a slow fsync.
   *
   * Behind a slow append, though, the stage is what one group commit can take: capped at 1,024
   * it held the kernel to 1,024 entries per fsync (about 10,000 entries/s at the 100 ms commits
   * of a disk shared with fsyncing neighbours). A writer that is behind may stage a whole group.
   */
  get #stageLimit(): number {
    const keepingUp = Math.max(STAGE_MINIMUM, STAGE_BATCHES * this.#config.maxBatchEntries);
    return Math.min(this.#config.channelCapacity, this.#behind() ? Math.max(keepingUp, GROUP_COMMIT_MAX_ENTRIES) : keepingUp);
  }

  /** The oldest staged entry has waited past the batch latency window: the backend is not keeping up. */
  #behind(): boolean {
    return this.#stagedAt.length > 0 && performance.now() > this.#stagedAt[0]! + this.#config.maxBatchLatencyMs;
  }

  /** Takes, hashes and chains at most one chunk of entries from the feed; returns how many. */
  #take(): number {
    const room = this.#stageLimit - this.#staged.length;
    if (this.#pendingControl !== undefined || room <= 0) return 0;
    const records = this.#feed.take(Math.min(TAKE_CHUNK, room), (record) => record.kind !== RecordKind.ENTRY);
    const now = this.#sleptSince ?? performance.now();
    this.#sleptSince = undefined;
    let taken = 0;
    for (const record of records) {
      if (record.kind !== RecordKind.ENTRY) {
        this.#pendingControl = record;
        break;
      }
      if (record.seq !== this.#nextSeq) {
        this.#fail(outOfOrderError(this.#nextSeq - 1, record.seq));
        return taken;
      }
      const entry = buildAppendEntry(record.draft, record.seq, record.tsPublish);
      this.#chain.update(entry.entry.entryHash);
      this.#nextSeq++;
      this.#staged.push(entry);
      this.#stagedAt.push(now);
      taken++;
    }
    return taken;
  }

  /**
   * Hands the oldest `count` staged entries to the backend. The outcome is handled only after
   * every earlier append's was: the hwm is published in call order and only from resolved
   * appends, and the first failure is the halt reason (a later append's rejection, typically
   * OUT_OF_ORDER behind it, changes nothing).
   */
  #startFlush(count: number): void {
    const batch = this.#staged.splice(0, count);
    this.#stagedAt.splice(0, count);
    const started = performance.now();
    const append = callAppend(this.#store, batch);
    // Timed from the call to the backend's acknowledgement, whenever this append's outcome is handled.
    append.then(
      (highWatermark) => {
        this.#control.commitStatistics.record(count, performance.now() - started);
        return highWatermark;
      },
      () => {},
    );
    // Its outcome may be handled only after an earlier append's; until then it must not count as unhandled.
    append.catch(() => {});
    const earlier = this.#inFlight[this.#inFlight.length - 1];
    const handled: Promise<void> = (earlier === undefined ? append : earlier.then(() => append))
      .then(
        (highWatermark) => {
          if (!this.#failed) this.#control.publishHighWatermark(highWatermark);
        },
        (error: unknown) => this.#fail(error),
      )
      .finally(() => {
        this.#inFlight.splice(this.#inFlight.indexOf(handled), 1);
      });
    this.#inFlight.push(handled);
  }

  /** Sleeps until a flush finishes, a record is published, or the batch deadline passes. */
  async #waitForWork(): Promise<void> {
    const canTake = this.#pendingControl === undefined && this.#staged.length < this.#stageLimit;
    const oldest = this.#inFlight[0];
    let timeout = MAX_IDLE_WAIT_MS;
    if (oldest === undefined && this.#staged.length > 0) {
      timeout = Math.max(0, this.#stagedAt[0]! + this.#config.maxBatchLatencyMs - performance.now());
    }
    if (!canTake) {
      // Appends settle oldest first. With none in flight, a pending record is handled at once;
      // otherwise the staging is full below a whole batch and only the deadline can be waited for.
      if (oldest !== undefined) await oldest;
      else if (this.#pendingControl === undefined) await sleep(timeout);
      return;
    }
    // An idle writer wakes on the first record; one with a batch open only once the batch can be
    // filled (or at its deadline); one with an append in flight once a chunk is worth hashing
    // ahead (or when the append settles). Never once per record while busy: that was a notify
    // per entry on the producer's thread.
    let wakeAt = 1;
    if (oldest !== undefined) wakeAt = TAKE_CHUNK;
    else if (this.#staged.length > 0) wakeAt = Math.max(1, this.#config.maxBatchEntries - this.#staged.length);
    const sleeping = this.#feed.sleep(wakeAt, timeout, oldest, oldest !== undefined || this.#staged.length > 0);
    if (sleeping === undefined) return;
    if (wakeAt > 1) this.#sleptSince ??= performance.now();
    await sleeping;
  }

  /** Handles an anchor, close or abandon once everything before it is durable. True when the loop ends. */
  async #handleControl(record: QueueRecord): Promise<boolean> {
    if (record.kind === RecordKind.ANCHOR) {
      const anchor = {
        highWatermark: anchorRecordCovers(record.draft, this.#control.highWatermark),
        blobRef: record.draft.topic,
        contentHash: record.draft.payloadType,
      };
      try {
        await this.#store.recordSnapshotAnchor(anchor);
        this.#reply({ type: 'anchor-recorded', id: record.seq, anchor });
      } catch (error) {
        // Any anchor failure is fail-stop, as upstream: the halt fires and the loop ends.
        this.#fail(error);
        this.#reply({ type: 'anchor-failed', id: record.seq, error: serializeError(error) });
      }
      return false;
    }
    if (record.kind === RecordKind.CLOSE) {
      await this.#close(record);
      return true;
    }
    this.#reply({ type: 'abandoned', highWatermark: this.#control.highWatermark });
    return true;
  }

  async #close(record: QueueRecord): Promise<void> {
    if (record.seq !== this.#nextSeq) {
      this.#fail(outOfOrderError(this.#nextSeq - 1, record.seq));
      this.#reply({ type: 'close-failed', error: serializeError(new TapelogError('HALTED', 'writer fail-stopped before seal: the queue lost order')) });
      return;
    }
    const runEnded = buildAppendEntry(record.draft, record.seq, record.tsPublish);
    try {
      const started = performance.now();
      const highWatermark = await this.#store.appendBatch([runEnded]);
      this.#control.commitStatistics.record(1, performance.now() - started);
      this.#chain.update(runEnded.entry.entryHash);
      this.#control.publishHighWatermark(highWatermark);
    } catch (error) {
      this.#fail(error);
      this.#reply({
        type: 'close-failed',
        error: serializeError(new TapelogError('HALTED', `writer fail-stopped before seal: ${String((error as Error)?.message ?? error)}`, { cause: error })),
      });
      return;
    }
    try {
      const manifest = await this.#store.seal('Ended', this.#chain.headHex, await computeRunIntegrity(this.#store));
      this.#reply({ type: 'closed', manifest });
    } catch (error) {
      this.#fail(error);
      this.#reply({ type: 'close-failed', error: serializeError(error) });
    }
  }

  #fail(error: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    const reason = haltReasonFromError(error);
    this.#control.storeHalt(HaltState.BACKEND_FAILED, reason);
    this.#reply({ type: 'halted', reason });
  }
}
