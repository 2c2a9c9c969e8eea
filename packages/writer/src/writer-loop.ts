/**
 * The batching loop of the writer thread: takes records from the shared ring as soon as they
 * are published (hashing and chaining them in seq order), commits batches of `maxBatchEntries`,
 * or under backlog one group of everything staged (see group-commit.ts), one at a time, or a
 * second full one while the first is written when the backend declares pipelinedAppends, publishes the durable hwm in order, and runs anchors and
 * close in FIFO order with entries. A backend failure stores the halt in shared memory and stops the loop.
 */
import { buildAppendEntry, computeRunIntegrity, outOfOrderError, type AppendEntry, type ChainHasher, type EventStore } from '@tapelog/core';
import type { WriterConfig } from './config.js';
import { GROUP_COMMIT_MAX_ENTRIES, groupCommitSize } from './group-commit.js';
import { haltReasonFromError } from './halt.js';
import { MAX_PIPELINED_APPENDS, declaresPipelinedAppends } from './pipelining.js';
import type { QueueConsumer, QueueRecord } from './queue-consumer.js';
import { Control, HaltState, RecordKind, type ControlWords } from './shared-queue.js';
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

export interface WriterLoopOptions {
  store: EventStore;
  consumer: QueueConsumer;
  control: ControlWords;
  config: WriterConfig;
  chain: ChainHasher;
  highWatermark: number;
  reply(message: WorkerReply): void;
}

export class WriterLoop {
  readonly #store: EventStore;
  readonly #consumer: QueueConsumer;
  readonly #control: ControlWords;
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

  constructor(options: WriterLoopOptions) {
    this.#store = options.store;
    this.#consumer = options.consumer;
    this.#control = options.control;
    this.#config = options.config;
    this.#chain = options.chain;
    this.#reply = options.reply;
    this.#nextSeq = options.highWatermark + 1;
    this.#maxInFlight = declaresPipelinedAppends(options.store) ? MAX_PIPELINED_APPENDS : 1;
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

  async #loop(): Promise<void> {
    const maxBatch = this.#config.maxBatchEntries;
    for (;;) {
      if (this.#failed) return;
      // Starting the next flush comes before taking more: the disk must never wait on hashing.
      const inFlight = this.#inFlight.length;
      if (inFlight === 0) {
        const staged = this.#staged.length;
        if (staged >= maxBatch || (staged > 0 && (this.#pendingControl !== undefined || performance.now() >= this.#stagedAt[0]! + this.#config.maxBatchLatencyMs))) {
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
      const taken = this.#takeFromRing();
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

  /** Takes, hashes and chains at most one chunk of entries from the ring; returns how many. */
  #takeFromRing(): number {
    const room = this.#stageLimit - this.#staged.length;
    if (this.#pendingControl !== undefined || room <= 0) return 0;
    const records = this.#consumer.take(Math.min(TAKE_CHUNK, room), (record) => record.kind !== RecordKind.ENTRY);
    const now = performance.now();
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
    append.then((highWatermark) => {
      this.#control.commitStatistics.record(count, performance.now() - started);
      return highWatermark;
    }, () => {});
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
    const words = this.#control.words;
    const signal = Atomics.load(words, Control.PRODUCED_SIGNAL);
    // An idle writer wakes on the first record; a writer with a batch open or a flush in flight
    // only once the batch can be filled (or at its deadline, or when the flush settles).
    const idle = oldest === undefined && this.#staged.length === 0;
    const wakeAt = idle ? 1 : Math.max(1, this.#config.maxBatchEntries - this.#staged.length);
    Atomics.store(words, Control.CONSUMER_SLEEPING, wakeAt);
    // Checked after raising the flag: a producer that published before it saw the flag is seen here.
    if (this.#consumer.available >= wakeAt) {
      Atomics.store(words, Control.CONSUMER_SLEEPING, 0);
      return;
    }
    const waiting = Atomics.waitAsync(words, Control.PRODUCED_SIGNAL, signal, timeout);
    if (waiting.async) {
      await (oldest === undefined ? waiting.value : Promise.race([waiting.value, oldest]));
    }
    Atomics.store(words, Control.CONSUMER_SLEEPING, 0);
  }

  /** Handles an anchor, close or abandon once everything before it is durable. True when the loop ends. */
  async #handleControl(record: QueueRecord): Promise<boolean> {
    if (record.kind === RecordKind.ANCHOR) {
      const anchor = { highWatermark: this.#control.highWatermark, blobRef: record.draft.topic, contentHash: record.draft.payloadType };
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
      this.#reply({ type: 'close-failed', error: serializeError(new Error('writer fail-stopped before seal: the queue lost order')) });
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
      this.#reply({ type: 'close-failed', error: serializeError(new Error(`writer fail-stopped before seal: ${String((error as Error)?.message ?? error)}`)) });
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
