/**
 * The memory the main thread and the writer thread share: control words (queue counters, wake-up
 * flags, halt state, the durable hwm, the halt reason) and a byte ring of length-prefixed records.
 * Both sides use these offsets; the producer and consumer modules hold the logic.
 */
import { COMMIT_STATISTICS_WORDS, CommitStatisticsRecorder } from './commit-statistics.js';
import type { HaltReason } from './halt.js';

/** Indices into the Int32Array over the control buffer. */
export const Control = {
  /** Records published and not yet consumed (producer adds, consumer subtracts). */
  QUEUED: 0,
  /** Ring bytes in use, wrap padding included (producer adds, consumer subtracts). */
  USED_BYTES: 1,
  /** Bumped by the producer to wake a sleeping consumer. */
  PRODUCED_SIGNAL: 2,
  /**
   * 0 while the consumer is awake; while it is about to sleep or sleeping on PRODUCED_SIGNAL, the
   * queued-record count at which the producer wakes it (1: on the next record).
   */
  CONSUMER_SLEEPING: 3,
  /** Bumped by the consumer after freeing ring space. */
  CONSUMED_SIGNAL: 4,
  /** 1 while the producer waits for room on CONSUMED_SIGNAL. */
  PRODUCER_WAITING: 5,
  /** A HaltState value. */
  HALT_STATE: 6,
  /** Bumped (and notified) whenever the durable hwm moves or the writer stops. */
  DURABLE_SIGNAL: 7,
} as const;

export const HaltState = {
  RUNNING: 0,
  /** The writer thread met a backend failure; the reason is in shared memory. */
  BACKEND_FAILED: 1,
  /** The writer thread is gone (crash or unexpected exit); the reason is in shared memory. */
  THREAD_EXITED: 2,
} as const;

/** Byte offset of the durable hwm (a BigInt64 slot) in the control buffer. */
const HIGH_WATERMARK_BYTE = 64;
const HALT_REASON_BYTE = 128;
const HALT_REASON_CAPACITY = 4096;
/** The commit statistics words (see commit-statistics.ts) follow the halt reason. */
const STATISTICS_BYTE = HALT_REASON_BYTE + 4 + HALT_REASON_CAPACITY;
const CONTROL_BYTES = STATISTICS_BYTE + COMMIT_STATISTICS_WORDS * 4;

/** Record kinds in the ring. */
export const RecordKind = {
  ENTRY: 1,
  ANCHOR: 2,
  CLOSE: 3,
  ABANDON: 4,
} as const;

/**
 * Record layout (little endian; every record starts 8-byte aligned, total length rounded up to 8):
 *   0 u32 total bytes (0 = wrap marker: continue at offset 0)
 *   4 u8 kind, 5 u8 flags (1 correlation id, 2 causation id), 6 u16 index key count
 *   8 f64 seq (or anchor request id)
 *  16 u64 tsInit, 24 u64 tsPublish
 *  32 u32 topic bytes, 36 u32 payload type bytes, 40 u32 payload bytes, 44 reserved
 *  48 [16 correlation id][16 causation id] topic, payload type, payload,
 *     then per index key: u8 kind bytes, kind, u32 key bytes, key
 * An anchor record carries the blob reference as its topic and the content hash as its payload type.
 */
export const RecordOffset = {
  TOTAL: 0,
  KIND: 4,
  FLAGS: 5,
  KEY_COUNT: 6,
  SEQ: 8,
  TS_INIT: 16,
  TS_PUBLISH: 24,
  TOPIC_LENGTH: 32,
  PAYLOAD_TYPE_LENGTH: 36,
  PAYLOAD_LENGTH: 40,
  BODY: 48,
} as const;

export const RecordFlag = { CORRELATION: 1, CAUSATION: 2 } as const;

export interface SharedQueueBuffers {
  control: SharedArrayBuffer;
  ring: SharedArrayBuffer;
}

export function createSharedQueueBuffers(queueBytes: number): SharedQueueBuffers {
  return { control: new SharedArrayBuffer(CONTROL_BYTES), ring: new SharedArrayBuffer(queueBytes) };
}

/** Typed views over the control buffer, shared by both sides. */
export class ControlWords {
  readonly words: Int32Array;
  /** Written by the writer thread after each commit, read by the main thread. */
  readonly commitStatistics: CommitStatisticsRecorder;
  readonly #wide: BigInt64Array;
  readonly #bytes: Uint8Array;

  constructor(buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
    this.commitStatistics = new CommitStatisticsRecorder(new Int32Array(buffer, STATISTICS_BYTE, COMMIT_STATISTICS_WORDS));
    this.#wide = new BigInt64Array(buffer, HIGH_WATERMARK_BYTE, 1);
    this.#bytes = new Uint8Array(buffer);
  }

  get highWatermark(): number {
    return Number(Atomics.load(this.#wide, 0));
  }

  /** Publishes the durable hwm and wakes everyone waiting for durability. */
  publishHighWatermark(value: number): void {
    Atomics.store(this.#wide, 0, BigInt(value));
    this.bump(Control.DURABLE_SIGNAL);
  }

  bump(index: number): void {
    Atomics.add(this.words, index, 1);
    Atomics.notify(this.words, index);
  }

  get haltState(): number {
    return Atomics.load(this.words, Control.HALT_STATE);
  }

  /**
   * Stores the reason first, then the state, so whoever sees the state also sees the reason.
   * Only the first halt is kept; returns false when one was already stored.
   */
  storeHalt(state: number, reason: HaltReason): boolean {
    if (Atomics.load(this.words, Control.HALT_STATE) !== HaltState.RUNNING) return false;
    let text = new TextEncoder().encode(JSON.stringify(reason));
    if (text.length > HALT_REASON_CAPACITY) {
      const shortened = { ...reason, message: 'message' in reason ? reason.message.slice(0, 1000) : '' };
      text = new TextEncoder().encode(JSON.stringify(shortened));
    }
    new DataView(this.#bytes.buffer).setUint32(HALT_REASON_BYTE, text.length, true);
    this.#bytes.set(text, HALT_REASON_BYTE + 4);
    const previous = Atomics.compareExchange(this.words, Control.HALT_STATE, HaltState.RUNNING, state);
    this.bump(Control.DURABLE_SIGNAL);
    this.bump(Control.CONSUMED_SIGNAL);
    return previous === HaltState.RUNNING;
  }

  /** The stored halt reason (valid once haltState is not RUNNING). */
  loadHaltReason(): HaltReason {
    const length = new DataView(this.#bytes.buffer).getUint32(HALT_REASON_BYTE, true);
    const text = Buffer.from(this.#bytes.buffer, HALT_REASON_BYTE + 4, length).toString('utf8');
    return JSON.parse(text) as HaltReason;
  }
}
