/**
 * The production writer: a worker thread owns the backend; `submit` copies drafts into the shared
 * ring and returns their seq. Everything a blocked main thread must see (room in the queue, the
 * durable hwm, a backend halt) is read from shared memory; messages only carry replies.
 */
import type { Worker } from 'node:worker_threads';
import { assertSeq, type Clock, closedError, type EntryDraft, type RunManifest, type SnapshotAnchor, TapelogError, writerClosedError } from '@tapelog/core';
import { backendModuleSpecifier } from './backend-module.js';
import type { CommitStatistics } from './commit-statistics.js';
import { resolveWriterConfig, type WriterConfig } from './config.js';
import { deferred, type Pending } from './deferred.js';
import { checkDraft } from './draft-check.js';
import { describeHaltReason, HaltLatch, type HaltReason } from './halt.js';
import { PendingAnchors } from './pending-anchors.js';
import { anchorRecordDraft, checkCoversSeq, NO_ROOM, QueueProducer } from './queue-producer.js';
import { Control, ControlWords, createSharedQueueBuffers, HaltState, RecordKind } from './shared-queue.js';
import { releaseWriterThread, startWriterThread, takeStandbyThread } from './standby-threads.js';
import { SubmitError } from './submit-error.js';
import { listenToWorker } from './worker-listeners.js';
import { deserializeError, type WorkerReply, type WorkerStartData, type WorkerStartMessage } from './worker-protocol.js';
import type { EventStoreWriter, SpawnWriterOptions } from './writer.js';

/**
 * Loads the backend module on this thread too, before the writer thread does. Node unloads a
 * native addon when the last thread that loaded it exits, but some storage engines start
 * process-wide threads that outlive it: LevelDB's compaction thread, started by the compaction a
 * seal runs, kept executing classic-level's unloaded code and crashed the process (SIGSEGV) a
 * while after a writer thread had closed. Loaded here, the addon stays for the process's life.
 * A module that fails to load here is left for the writer thread to report.
 */
async function keepBackendLoaded(module: string): Promise<void> {
  try {
    await import(module);
  } catch {
    // The writer thread imports it again and reports the failure with the run's context.
  }
}

/** Starts the writer thread, opens the run there, and resolves once it is ready to accept entries. */
export async function spawnWriter(options: SpawnWriterOptions): Promise<EventStoreWriter> {
  const config = resolveWriterConfig(options.config);
  const buffers = createSharedQueueBuffers(config.queueBytes);
  const module = backendModuleSpecifier(options.backend.module);
  const data: WorkerStartData = {
    module,
    options: options.backend.options,
    manifest: options.manifest,
    config,
    control: buffers.control,
    ring: buffers.ring,
  };
  await keepBackendLoaded(module);
  let worker: Worker;
  const standbyThread = takeStandbyThread(module);
  if (standbyThread !== undefined) {
    worker = standbyThread;
    const start: WorkerStartMessage = { type: 'start', data };
    worker.postMessage(start);
  } else {
    try {
      worker = startWriterThread(data);
    } catch (error) {
      throw new TapelogError('WRITER_START_FAILED', `spawn writer thread: ${(error as Error)?.message ?? String(error)}`, { cause: error });
    }
  }
  const highWatermark = await new Promise<number>((resolve, reject) => {
    const cleanup = listenToWorker(worker, {
      message: (message) => {
        if (message.type === 'ready') {
          cleanup();
          resolve(message.highWatermark);
        } else if (message.type === 'open-failed') {
          cleanup();
          worker.once('exit', () => reject(deserializeError(message.error)));
        }
      },
      error: (error) => {
        cleanup();
        reject(
          new TapelogError(
            'WRITER_START_FAILED',
            `spawn writer thread: the writer thread failed while opening run ${options.manifest.runId}: ${error.message}`,
            {
              cause: error,
            },
          ),
        );
      },
      exit: (code) => {
        cleanup();
        reject(
          new TapelogError(
            'WRITER_START_FAILED',
            `spawn writer thread: the writer thread exited with code ${code} while opening run ${options.manifest.runId}`,
          ),
        );
      },
    });
  });
  return new WorkerWriter(
    worker,
    module,
    buffers.control,
    buffers.ring,
    config,
    options.clock,
    new HaltLatch(options.onHalt),
    highWatermark,
    options.manifest.runId,
  );
}

class WorkerWriter implements EventStoreWriter {
  readonly #worker: Worker;
  readonly #module: string;
  readonly #control: ControlWords;
  readonly #words: Int32Array;
  readonly #producer: QueueProducer;
  readonly #config: WriterConfig;
  readonly #clock: Clock;
  readonly #latch: HaltLatch;
  readonly #runId: string;
  #nextSeq: number;
  /** One flag on the hot path: a stall halt fired, or close/abandon began. */
  #refused = false;
  #ending = false;
  #threadGone = false;
  #crash: Error | undefined;
  /** The thread replied to close or abandon: its exit is expected. */
  #cleanEnd = false;
  /** terminate() was called: the thread must not go back to standby even if it released its run. */
  #terminating = false;
  readonly #anchors = new PendingAnchors();
  /** What the newest anchor enqueued covers at least: an explicit coversSeq may not go below it. */
  #anchorFloor = 0;
  #ended: (Pending<RunManifest | number> & { promise: Promise<RunManifest | number> }) | undefined;
  /** Resolves once the thread exited, or released this run and went back to standby. */
  readonly #exited: Promise<void>;
  readonly #detach: () => void;

  constructor(
    worker: Worker,
    module: string,
    control: SharedArrayBuffer,
    ring: SharedArrayBuffer,
    config: WriterConfig,
    clock: Clock,
    latch: HaltLatch,
    highWatermark: number,
    runId: string,
  ) {
    this.#worker = worker;
    this.#module = module;
    this.#control = new ControlWords(control);
    this.#words = this.#control.words;
    this.#producer = new QueueProducer(this.#control, ring, config.channelCapacity);
    this.#config = config;
    this.#clock = clock;
    this.#latch = latch;
    this.#runId = runId;
    this.#nextSeq = highWatermark + 1;
    let finished: () => void = () => {};
    this.#exited = new Promise((resolve) => {
      finished = resolve;
    });
    this.#detach = listenToWorker(worker, {
      message: (message) => {
        if (message.type !== 'released') {
          this.#onMessage(message);
          return;
        }
        // The run ended cleanly and its store is closed: this writer lets go of the thread, which
        // waits for the next run of its backend module with its compiled code warm.
        this.#detach();
        this.#threadGone = true;
        this.#refused = true;
        // A thread being terminated is not handed on: it is about to exit.
        if (!this.#terminating) releaseWriterThread(this.#module, worker);
        finished();
      },
      error: (error) => {
        this.#crash = error;
      },
      exit: (code) => {
        this.#detach();
        this.#onExit(code);
        finished();
      },
    });
  }

  get acceptedSeq(): number {
    return this.#nextSeq - 1;
  }

  get highWatermark(): number {
    return this.#control.highWatermark;
  }

  commitStatistics(): CommitStatistics {
    return this.#control.commitStatistics.read();
  }

  get halted(): boolean {
    if (this.#control.haltState !== HaltState.RUNNING) this.#noticeThreadHalt();
    return this.#latch.fired;
  }

  submit(draft: EntryDraft): number {
    if (this.#refused || Atomics.load(this.#words, Control.HALT_STATE) !== HaltState.RUNNING) throw this.#refusal();
    checkDraft(draft);
    const maxBytes = this.#measure(draft);
    const tsPublish = this.#clock.now();
    const seq = this.#nextSeq;
    if (this.#producer.tryPublish(RecordKind.ENTRY, seq, draft, tsPublish, maxBytes) === NO_ROOM) {
      this.#publishWaiting(RecordKind.ENTRY, seq, draft, tsPublish, maxBytes, 'submit');
    }
    this.#nextSeq = seq + 1;
    return seq;
  }

  #measure(draft: EntryDraft): number {
    const maxBytes = this.#producer.measure(draft);
    if (maxBytes > this.#producer.maxRecordBytes) {
      throw new RangeError(
        `draft of up to ${maxBytes} bytes does not fit the writer queue of run ${this.#runId} (queueBytes ${this.#config.queueBytes}, at most half per draft); raise config.queueBytes`,
      );
    }
    return maxBytes;
  }

  /** The error for a submit that cannot be accepted; notices a thread halt first, so its callback fires. */
  #refusal(): SubmitError {
    if (this.#control.haltState !== HaltState.RUNNING) {
      this.#noticeThreadHalt();
      return SubmitError.closed(describeHaltReason(this.#latch.reason!));
    }
    return SubmitError.closed();
  }

  #noticeThreadHalt(): void {
    this.#refused = true;
    if (!this.#latch.fired) this.#latch.fire(this.#control.loadHaltReason());
  }

  /**
   * Waits (Atomics.wait, no spinning) for room up to the halt threshold, as upstream's submit
   * loop does; past it the writer halts. The thread halt state is checked on every wake-up.
   */
  #publishWaiting(kind: number, seq: number, draft: EntryDraft, tsPublish: bigint, maxBytes: number, what: 'submit' | 'anchor'): void {
    const words = this.#words;
    const threshold = this.#config.haltThresholdMs;
    const start = performance.now();
    for (;;) {
      const elapsed = performance.now() - start;
      if (elapsed >= threshold) {
        this.#stall(elapsed);
        if (what === 'submit') throw SubmitError.haltSignaled(elapsed, threshold);
        throw new TapelogError('TIMEOUT', `snapshot anchor submit stalled for ${elapsed.toFixed(1)}ms, halt threshold ${threshold}ms`);
      }
      if (Atomics.load(words, Control.HALT_STATE) !== HaltState.RUNNING) throw this.#refusal();
      Atomics.store(words, Control.PRODUCER_WAITING, 1);
      const consumed = Atomics.load(words, Control.CONSUMED_SIGNAL);
      if (this.#producer.tryPublish(kind, seq, draft, tsPublish, maxBytes) !== NO_ROOM) {
        Atomics.store(words, Control.PRODUCER_WAITING, 0);
        return;
      }
      Atomics.wait(words, Control.CONSUMED_SIGNAL, consumed, threshold - elapsed);
      Atomics.store(words, Control.PRODUCER_WAITING, 0);
    }
  }

  #stall(elapsed: number): void {
    this.#refused = true;
    this.#latch.fire({ kind: 'BackpressureStall', stalledForMs: elapsed, thresholdMs: this.#config.haltThresholdMs });
  }

  async waitForDurable(seq: number, options: { timeoutMs?: number } = {}): Promise<void> {
    assertSeq('seq', seq);
    const timeoutMs = options.timeoutMs;
    const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : performance.now() + timeoutMs;
    const words = this.#words;
    for (;;) {
      const signal = Atomics.load(words, Control.DURABLE_SIGNAL);
      const highWatermark = this.#control.highWatermark;
      if (highWatermark >= seq) return;
      if (this.#control.haltState !== HaltState.RUNNING) {
        this.#noticeThreadHalt();
        throw new TapelogError(
          'HALTED',
          `seq ${seq} of run ${this.#runId} will not become durable: the writer halted (${describeHaltReason(this.#latch.reason!)}); durable high-watermark ${highWatermark}`,
        );
      }
      if (this.#threadGone) throw closedError(`writer is closed: seq ${seq} of run ${this.#runId} is beyond the final high-watermark ${highWatermark}`);
      const remaining = deadline - performance.now();
      if (remaining <= 0) {
        throw new TapelogError('TIMEOUT', `seq ${seq} of run ${this.#runId} was not durable within ${timeoutMs}ms (durable high-watermark ${highWatermark})`);
      }
      const waiting = Atomics.waitAsync(words, Control.DURABLE_SIGNAL, signal, Number.isFinite(remaining) ? remaining : undefined);
      if (waiting.async) await waiting.value;
    }
  }

  async recordSnapshotAnchor(blobRef: string, contentHash: string, coversSeq?: number): Promise<SnapshotAnchor> {
    if (typeof blobRef !== 'string' || typeof contentHash !== 'string') throw new TypeError('blobRef and contentHash must be strings');
    const floor = checkCoversSeq(coversSeq, this.#anchorFloor, this.acceptedSeq);
    if (this.#ending) throw writerClosedError('it is closing, so it records no snapshot anchor');
    if (this.#refused || this.#control.haltState !== HaltState.RUNNING) {
      if (this.#control.haltState !== HaltState.RUNNING) this.#noticeThreadHalt();
      throw closedError();
    }
    const draft = anchorRecordDraft(blobRef, contentHash, coversSeq);
    const maxBytes = this.#measure(draft);
    const { id, reply } = this.#anchors.open();
    try {
      if (this.#producer.tryPublish(RecordKind.ANCHOR, id, draft, 0n, maxBytes) === NO_ROOM) {
        this.#publishWaiting(RecordKind.ANCHOR, id, draft, 0n, maxBytes, 'anchor');
      }
    } catch (error) {
      this.#anchors.forget(id);
      throw error;
    }
    this.#anchorFloor = floor;
    return this.#awaitAnchorReply(id, reply);
  }

  /**
   * Waits for the anchor's reply. Everything queued before it must commit first, which can take a
   * while under load, so the halt threshold applies to a lack of progress (no hwm movement and
   * no reply), not to the total wait.
   */
  async #awaitAnchorReply(id: number, reply: Promise<SnapshotAnchor>): Promise<SnapshotAnchor> {
    let settled = false;
    const settledReply = reply.finally(() => {
      settled = true;
    });
    settledReply.catch(() => {});
    const threshold = this.#config.haltThresholdMs;
    const start = performance.now();
    let lastProgress = start;
    let lastHighWatermark = this.#control.highWatermark;
    while (!settled) {
      const signal = Atomics.load(this.#words, Control.DURABLE_SIGNAL);
      const now = performance.now();
      const highWatermark = this.#control.highWatermark;
      if (highWatermark !== lastHighWatermark) {
        lastHighWatermark = highWatermark;
        lastProgress = now;
      }
      const remaining = threshold - (now - lastProgress);
      if (remaining <= 0) {
        this.#anchors.forget(id);
        const elapsed = now - start;
        this.#stall(elapsed);
        throw new TapelogError('TIMEOUT', `snapshot anchor ack stalled for ${elapsed.toFixed(1)}ms, halt threshold ${threshold}ms`);
      }
      const waiting = Atomics.waitAsync(this.#words, Control.DURABLE_SIGNAL, signal, remaining);
      await Promise.race([settledReply.catch(() => {}), waiting.async ? waiting.value : undefined]);
    }
    return reply;
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
    if (this.#threadGone) return;
    // An expected exit: no halt fires, pending waits reject as disconnected.
    this.#cleanEnd = true;
    this.#terminating = true;
    await this.#worker.terminate();
    await this.#exited;
  }

  /** Publishes the close or abandon record (waiting for room without a threshold) and awaits the end of the thread. */
  async #end(kind: number, draft: EntryDraft): Promise<RunManifest | number> {
    if (this.#ending) throw writerClosedError('close or abandon was already called');
    this.#ending = true;
    this.#refused = true;
    if (this.#control.haltState !== HaltState.RUNNING || this.#threadGone) {
      if (this.#control.haltState !== HaltState.RUNNING) this.#noticeThreadHalt();
      await this.#exited;
      throw this.#disconnectedError();
    }
    const ended = deferred<RunManifest | number>();
    // Settled by a reply or by the thread's exit, possibly before this call awaits it.
    ended.promise.catch(() => {});
    this.#ended = ended;
    const maxBytes = this.#measure(draft);
    const tsPublish = this.#clock.now();
    const seq = this.#nextSeq;
    const words = this.#words;
    while (this.#producer.tryPublish(kind, seq, draft, tsPublish, maxBytes) === NO_ROOM) {
      if (this.#control.haltState !== HaltState.RUNNING || this.#threadGone) {
        await this.#exited;
        throw this.#disconnectedError();
      }
      const consumed = Atomics.load(words, Control.CONSUMED_SIGNAL);
      Atomics.store(words, Control.PRODUCER_WAITING, 1);
      const waiting = Atomics.waitAsync(words, Control.CONSUMED_SIGNAL, consumed, 100);
      if (waiting.async) await waiting.value;
      Atomics.store(words, Control.PRODUCER_WAITING, 0);
    }
    try {
      return await ended.promise;
    } finally {
      await this.#exited;
    }
  }

  #disconnectedError(): TapelogError {
    const reason = this.#latch.reason;
    return new TapelogError(
      'WRITER_DISCONNECTED',
      `writer thread disconnected: the writer of run ${this.#runId} stopped${reason === undefined ? '' : ` after a halt (${describeHaltReason(reason)})`}; the run stays Running until recovery seals it`,
    );
  }

  #onMessage(message: WorkerReply): void {
    switch (message.type) {
      case 'halted':
        this.#refused = true;
        this.#latch.fire(message.reason);
        return;
      case 'anchor-recorded':
      case 'anchor-failed':
        this.#anchors.settle(message);
        return;
      case 'closed':
        this.#cleanEnd = true;
        this.#ended?.resolve(message.manifest);
        return;
      case 'close-failed':
        this.#ended?.reject(deserializeError(message.error));
        return;
      case 'abandoned':
        this.#cleanEnd = true;
        this.#ended?.resolve(message.highWatermark);
        return;
      default:
        return;
    }
  }

  /** The thread is gone: an unexpected exit becomes a halt, and nothing waits for it any longer. */
  #onExit(code: number): void {
    this.#threadGone = true;
    this.#refused = true;
    if (this.#control.haltState === HaltState.RUNNING && !this.#cleanEnd) {
      const reason: HaltReason = {
        kind: 'BackendError',
        message: `writer thread exited unexpectedly with code ${code}${this.#crash === undefined ? '' : `: ${this.#crash.message}`}`,
      };
      this.#control.storeHalt(HaltState.THREAD_EXITED, reason);
      this.#latch.fire(reason);
    } else if (this.#control.haltState !== HaltState.RUNNING) {
      this.#noticeThreadHalt();
    }
    const error = this.#disconnectedError();
    this.#anchors.rejectAll(error);
    this.#ended?.reject(error);
    this.#control.bump(Control.DURABLE_SIGNAL);
    this.#control.bump(Control.CONSUMED_SIGNAL);
  }
}
