/**
 * Marker capture: turns the data messages the bus dispatches into cursor advances, dictionary
 * entries, high-fidelity markers and cursor snapshots (on each event-store entry submit and on
 * the safety-flush interval). It runs on the dispatch path, so it never throws and never waits.
 */
import { CursorState } from './cursor-state.js';
import type { DataMarkerExtractor } from './extractor.js';
import type { MarkerSink, SubmitOutcome } from './marker-writer.js';
import type { DataMarkerExtractorRegistry } from './registry.js';
import type { SubmitCountSource } from './submit-counter.js';

export const DEFAULT_SAFETY_FLUSH_INTERVAL_NS = 1_000_000_000n;

export const LANE_FAILED_MESSAGE = 'Marker writer lane failed; data marker capture is disabled for the rest of the run';

export interface MarkerCaptureLogger {
  error(message: string): void;
}

export interface DataMarkerCaptureOptions {
  sink: MarkerSink;
  registry: DataMarkerExtractorRegistry;
  /** Read on each marker to stamp `eventSeqBefore`. */
  submitCounter: SubmitCountSource;
  /** Identifiers (exact, case-sensitive) that get one hifi marker per record. For bars: the bar-type string. */
  highFidelity?: Iterable<string>;
  /** Longest wait between snapshots while data advances without entry submits. Default 1 s. */
  safetyFlushIntervalNs?: bigint;
  /** Where the one-time lane-failure and extractor-failure messages go. Default `console`. */
  logger?: MarkerCaptureLogger;
}

export class DataMarkerCapture {
  readonly #sink: MarkerSink;
  readonly #registry: DataMarkerExtractorRegistry;
  readonly #counter: SubmitCountSource;
  readonly #highFidelity: ReadonlySet<string>;
  readonly #checkHighFidelity: boolean;
  readonly #safetyFlushIntervalNs: bigint;
  readonly #logger: MarkerCaptureLogger;
  readonly #cursors = new CursorState();
  #markerSeq = 0;
  #lastFlush = 0n;
  #closed = false;
  #laneFailureLogged = false;
  #extractorFailureLogged = false;

  constructor(options: DataMarkerCaptureOptions) {
    this.#sink = options.sink;
    this.#registry = options.registry;
    this.#counter = options.submitCounter;
    this.#highFidelity = new Set(options.highFidelity ?? []);
    this.#checkHighFidelity = this.#highFidelity.size > 0;
    const interval = options.safetyFlushIntervalNs ?? DEFAULT_SAFETY_FLUSH_INTERVAL_NS;
    if (typeof interval !== 'bigint' || interval < 0n) throw new RangeError(`safetyFlushIntervalNs must be a non-negative bigint, got ${String(interval)}`);
    this.#safetyFlushIntervalNs = interval;
    this.#logger = options.logger ?? console;
  }

  /**
   * The whole per-bus-event step as the kernel's tap runs it after entry capture: an event that
   * became an entry (`captured`) flushes a snapshot; anything else is observed as possible data;
   * then the safety flush is checked. Skip the call when entry capture failed for the event.
   */
  onBusEvent(topic: string, message: unknown, now: bigint, captured: boolean): void {
    if (captured) this.onEntrySubmitted(now);
    else this.observe(topic, message, now);
    this.maybeSafetyFlush(now);
  }

  /** Observes one dispatched message; anything without a registered extractor is ignored. */
  observe(topic: string, message: unknown, _now?: bigint): void {
    if (this.#closed) return;
    const extractor = this.#registry.resolve(message);
    if (extractor === undefined) return;
    try {
      this.#observeData(topic, message, extractor);
    } catch (error) {
      // A throwing accessor is a kernel wiring bug; it must not break bus dispatch.
      if (!this.#extractorFailureLogged) {
        this.#extractorFailureLogged = true;
        this.#logger.error(
          `Data marker extractor for ${extractor.dataClass} failed on topic ${topic}; such messages are not recorded: ${(error as Error)?.message ?? String(error)}`,
        );
      }
    }
  }

  #observeData(topic: string, message: unknown, extractor: DataMarkerExtractor<unknown>): void {
    const eventSeqBefore = this.#counter.value;
    const tsInit = extractor.tsInit(message);
    if (tsInit === undefined) return;
    let cursor = this.#cursors.slotFor(topic);
    // The identifier is only needed for a new slot's dictionary entry or the hifi match, so a
    // known topic without high fidelity skips it (a kernel may build the string on each call).
    let identifier: string | undefined;
    if (cursor === undefined || this.#checkHighFidelity) {
      identifier = extractor.identifier(message);
      if (identifier === undefined) return;
    }
    let fingerprint: Uint8Array | undefined;
    let tsEvent: bigint | undefined;
    if (this.#checkHighFidelity && this.#highFidelity.has(identifier!)) {
      tsEvent = extractor.tsEvent(message);
      fingerprint = extractor.fingerprint(message);
      // Without a fingerprint the record is not counted at all, as upstream does.
      if (tsEvent === undefined || fingerprint === undefined) return;
    }
    if (cursor === undefined) {
      cursor = this.#cursors.addSlot(topic, extractor.dataClass, identifier!);
      // The dictionary entry enters the queue before any marker of its slot.
      for (const entry of this.#cursors.takeNewDictEntries()) this.#noteOutcome(this.#sink.putDict(entry));
    }
    const ordinal = this.#cursors.advanceSlot(cursor, tsInit);
    if (fingerprint !== undefined) {
      const markerSeq = ++this.#markerSeq;
      this.#noteOutcome(
        this.#sink.submitHiFi({
          markerSeq,
          eventSeqBefore,
          slot: cursor.slot,
          tsEvent: tsEvent!,
          tsInit,
          sameTsOrdinal: ordinal,
          recordFingerprint: fingerprint,
        }),
      );
    }
  }

  /** An event-store entry was submitted (the counter already counts it): snapshot what advanced before it. */
  onEntrySubmitted(now: bigint): void {
    if (this.#closed) return;
    this.#flush(now);
  }

  /** Snapshots when data advanced and the interval has passed since the last snapshot. Only bus events call it; there is no timer. */
  maybeSafetyFlush(now: bigint): void {
    if (this.#closed || !this.#cursors.isDirty) return;
    // A clock that went backwards waits, as upstream does.
    if (now >= this.#lastFlush && now - this.#lastFlush >= this.#safetyFlushIntervalNs) this.#flush(now);
  }

  #flush(now: bigint): void {
    const snapshot = this.#cursors.buildSnapshot(this.#markerSeq + 1, this.#counter.value, now);
    if (snapshot === undefined) return;
    // The sequence number is consumed whatever the outcome: a drop becomes a gap.
    this.#markerSeq = snapshot.markerSeq;
    this.#lastFlush = now;
    this.#noteOutcome(this.#sink.submitSnapshot(snapshot));
  }

  #noteOutcome(outcome: SubmitOutcome): void {
    if (outcome !== 'closed' || this.#laneFailureLogged) return;
    // Best-effort by contract, but the lane's death must be visible once.
    this.#laneFailureLogged = true;
    this.#logger.error(LANE_FAILED_MESSAGE);
  }

  /** Stops capture; later calls do nothing. The writer is closed by its owner. */
  close(): void {
    this.#closed = true;
  }

  /** The last marker sequence number handed out (snapshots and hifi markers share it). */
  get markerSeq(): number {
    return this.#markerSeq;
  }

  /** Slot assignment and cursors, for inspection. */
  get cursors(): CursorState {
    return this.#cursors;
  }
}
