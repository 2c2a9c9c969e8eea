/**
 * The marker writer: a bounded in-process queue drained in batches into a marker backend. A
 * full queue drops the snapshot or hifi marker and remembers the dropped sequence range, which
 * is written as a gap before the next accepted marker (`Overflow`) or at close
 * (`WriterClosed`). It never blocks and never throws at the submitter: trading comes first.
 */
import { backendError, closedError, type SealedRunStatus, TapelogError } from '@tapelog/core';
import type { MarkerBackend, MarkerWrite } from './marker-backend.js';
import {
  type DataCursorSnapshot,
  type HiFiMarker,
  isMarkerManifestSealed,
  type MarkerGap,
  type MarkerGapReason,
  type MarkerManifest,
  type StreamDictEntry,
} from './model.js';
import { computeDictHash, computeGapHash, computeHiFiHash, computeMarkerHash } from './record-hash.js';

export const DEFAULT_MARKER_CHANNEL_CAPACITY = 10_000;
export const DEFAULT_MARKER_MAX_BATCH = 100;
export const DEFAULT_MARKER_MAX_LATENCY_MS = 5;

export interface MarkerWriterConfig {
  /** Snapshots and hifi markers that may wait in the queue; 0 is raised to 1. Default 10 000. */
  channelCapacity?: number;
  /** Rows per backend commit; 0 is raised to 1. Default 100. */
  maxBatch?: number;
  /** How long the first queued row waits for company before a commit. Default 5 ms. */
  maxLatencyMs?: number;
}

/** `accepted`: queued; `dropped`: queue full, accounted as a gap; `closed`: the lane is closed or failed. */
export type SubmitOutcome = 'accepted' | 'dropped' | 'closed';

/** What marker capture needs from a writer; a test can stand in its own. */
export interface MarkerSink {
  submitSnapshot(snapshot: DataCursorSnapshot): SubmitOutcome;
  submitHiFi(marker: HiFiMarker): SubmitOutcome;
  /** Dictionary entries bypass the capacity bound: they are never dropped. */
  putDict(entry: StreamDictEntry): Exclude<SubmitOutcome, 'dropped'>;
}

export interface MarkerWriterStats {
  /** Snapshots and hifi markers accepted into the queue. */
  accepted: number;
  /** Snapshots and hifi markers dropped on overflow. */
  dropped: number;
  /** Gap rows queued (each covers one contiguous dropped range). */
  gaps: number;
  /** Rows committed to the backend (gaps and dictionary entries included). */
  written: number;
  /** Rows waiting in the queue. */
  queued: number;
}

export interface MarkerWriterHooks {
  /** Called once when the lane fail-stops (a backend write failed). */
  onFailure?(error: TapelogError): void;
}

type QueuedRow =
  | { kind: 'Snapshot'; record: DataCursorSnapshot }
  | { kind: 'HiFi'; record: HiFiMarker }
  | { kind: 'Gap'; record: MarkerGap }
  | { kind: 'Dict'; record: StreamDictEntry };

type WriterState = 'open' | 'closing' | 'closed' | 'failed';

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  return Math.max(1, value);
}

function hashRow(row: QueuedRow): MarkerWrite {
  switch (row.kind) {
    case 'Snapshot':
      return { kind: 'Snapshot', record: row.record, hash: computeMarkerHash(row.record) };
    case 'HiFi':
      return { kind: 'HiFi', record: row.record, hash: computeHiFiHash(row.record) };
    case 'Gap':
      return { kind: 'Gap', record: row.record, hash: computeGapHash(row.record) };
    case 'Dict':
      return { kind: 'Dict', record: row.record, hash: computeDictHash(row.record) };
  }
}

export class MarkerWriter implements MarkerSink {
  readonly #backend: MarkerBackend;
  readonly #capacity: number;
  readonly #maxBatch: number;
  readonly #maxLatencyMs: number;
  readonly #hooks: MarkerWriterHooks;

  #queue: QueuedRow[] = [];
  #head = 0;
  /** Snapshots and hifi markers in the queue: only they count against the capacity. */
  #queuedMarkers = 0;
  #pendingDrop: { from: number; to: number } | undefined;
  #state: WriterState = 'open';
  #failure: TapelogError | undefined;
  #draining = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #immediate: ReturnType<typeof setImmediate> | undefined;
  #idleWaiters: Array<() => void> = [];
  #closing: Promise<MarkerManifest> | undefined;
  readonly #stats = { accepted: 0, dropped: 0, gaps: 0, written: 0 };

  private constructor(backend: MarkerBackend, config: MarkerWriterConfig, hooks: MarkerWriterHooks) {
    this.#backend = backend;
    this.#capacity = positiveInteger('channelCapacity', config.channelCapacity, DEFAULT_MARKER_CHANNEL_CAPACITY);
    this.#maxBatch = positiveInteger('maxBatch', config.maxBatch, DEFAULT_MARKER_MAX_BATCH);
    const latency = config.maxLatencyMs ?? DEFAULT_MARKER_MAX_LATENCY_MS;
    if (!Number.isFinite(latency) || latency < 0) throw new RangeError(`maxLatencyMs must be a non-negative number, got ${latency}`);
    this.#maxLatencyMs = latency;
    this.#hooks = hooks;
  }

  /**
   * Starts a writer over a backend with an open, unsealed marker run: BACKEND when no run is
   * open, CLOSED when it is sealed (a recovered store), rather than failing on the first write.
   */
  static async start(backend: MarkerBackend, config: MarkerWriterConfig = {}, hooks: MarkerWriterHooks = {}): Promise<MarkerWriter> {
    const writer = new MarkerWriter(backend, config, hooks);
    const manifest = await backend.manifest();
    if (isMarkerManifestSealed(manifest)) {
      throw closedError(`marker run ${manifest.runId} at ${backend.location} is sealed (${manifest.status}); a writer needs an open run`);
    }
    return writer;
  }

  submitSnapshot(snapshot: DataCursorSnapshot): SubmitOutcome {
    return this.#submit({ kind: 'Snapshot', record: snapshot }, snapshot.markerSeq);
  }

  submitHiFi(marker: HiFiMarker): SubmitOutcome {
    return this.#submit({ kind: 'HiFi', record: marker }, marker.markerSeq);
  }

  #submit(row: QueuedRow, markerSeq: number): SubmitOutcome {
    if (this.#state !== 'open') return 'closed';
    if (this.#queuedMarkers >= this.#capacity) {
      // Capture's sequence numbers are consecutive, so the dropped range stays contiguous.
      const pending = this.#pendingDrop;
      if (pending === undefined) this.#pendingDrop = { from: markerSeq, to: markerSeq };
      else {
        if (markerSeq < pending.from) pending.from = markerSeq;
        if (markerSeq > pending.to) pending.to = markerSeq;
      }
      this.#stats.dropped++;
      return 'dropped';
    }
    if (this.#pendingDrop !== undefined) this.#queueGap('Overflow');
    this.#queue.push(row);
    this.#queuedMarkers++;
    this.#stats.accepted++;
    this.#schedule();
    return 'accepted';
  }

  putDict(entry: StreamDictEntry): 'accepted' | 'closed' {
    if (this.#state !== 'open') return 'closed';
    this.#queue.push({ kind: 'Dict', record: entry });
    this.#schedule();
    return 'accepted';
  }

  #queueGap(reason: MarkerGapReason): void {
    const pending = this.#pendingDrop!;
    this.#pendingDrop = undefined;
    this.#queue.push({ kind: 'Gap', record: { fromMarkerSeq: pending.from, toMarkerSeq: pending.to, reason } });
    this.#stats.gaps++;
  }

  /** Starts a drain after the latency window, or at once (next turn) when a batch is full. */
  #schedule(): void {
    if (this.#draining || this.#immediate !== undefined) return;
    if (this.#queue.length - this.#head >= this.#maxBatch || this.#maxLatencyMs === 0) {
      if (this.#timer !== undefined) {
        clearTimeout(this.#timer);
        this.#timer = undefined;
      }
      this.#immediate = setImmediate(() => {
        this.#immediate = undefined;
        void this.#drain();
      });
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        void this.#drain();
      }, this.#maxLatencyMs);
    }
  }

  #takeBatch(): QueuedRow[] {
    const end = Math.min(this.#queue.length, this.#head + this.#maxBatch);
    const batch = this.#queue.slice(this.#head, end);
    this.#head = end;
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 4096 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    for (const row of batch) if (row.kind === 'Snapshot' || row.kind === 'HiFi') this.#queuedMarkers--;
    return batch;
  }

  async #drain(): Promise<void> {
    if (this.#draining || this.#state === 'failed') return;
    this.#draining = true;
    try {
      while (this.#head < this.#queue.length && this.#failure === undefined) {
        const batch = this.#takeBatch();
        await this.#backend.write(batch.map(hashRow));
        this.#stats.written += batch.length;
      }
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#draining = false;
      if (this.#head >= this.#queue.length || this.#failure !== undefined) this.#wakeIdleWaiters();
      else this.#schedule();
    }
  }

  /** A failed write ends the lane: the rest is lost, no gap can be written, the run stays unsealed. */
  #fail(error: unknown): void {
    const failure = TapelogError.isInstance(error)
      ? error
      : backendError(`marker store at ${this.#backend.location}: ${(error as Error)?.message ?? String(error)}`, error);
    this.#state = 'failed';
    this.#failure = failure;
    this.#queue = [];
    this.#head = 0;
    this.#queuedMarkers = 0;
    this.#pendingDrop = undefined;
    this.#hooks.onFailure?.(failure);
  }

  #wakeIdleWaiters(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves once everything queued so far is committed (or the lane failed). */
  flush(): Promise<void> {
    if (this.#state === 'failed' || (!this.#draining && this.#head >= this.#queue.length)) return Promise.resolve();
    const idle = new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (!this.#draining) void this.#drain();
    return idle;
  }

  /**
   * Drains the queue, writes a still-pending dropped range as a `WriterClosed` gap, seals the
   * marker run `Ended` and releases the backend. Idempotent. Rejects with the lane failure if a
   * write failed (the run then stays unsealed, as upstream leaves it).
   */
  close(status: SealedRunStatus = 'Ended'): Promise<MarkerManifest> {
    this.#closing ??= this.#close(status);
    return this.#closing;
  }

  async #close(status: SealedRunStatus): Promise<MarkerManifest> {
    if (this.#state === 'open') {
      this.#state = 'closing';
      if (this.#pendingDrop !== undefined) this.#queueGap('WriterClosed');
      await this.flush();
    }
    try {
      if (this.#failure !== undefined) throw this.#failure;
      const manifest = await this.#backend.seal(status);
      this.#state = 'closed';
      return manifest;
    } finally {
      await this.#backend.close().catch(() => undefined);
    }
  }

  /** The lane failure, if the writer fail-stopped. */
  get failure(): TapelogError | undefined {
    return this.#failure;
  }

  get stats(): MarkerWriterStats {
    return { ...this.#stats, queued: this.#queue.length - this.#head };
  }
}
