/** Writer configuration: the documented defaults and the checks applied to a partial config. */

export interface WriterConfig {
  /** Entries the queue between producers and the writer holds before `submit` waits. */
  channelCapacity: number;
  /** A batch is committed once it holds this many entries. */
  maxBatchEntries: number;
  /** A non-empty batch is committed at most this long after its first entry was dequeued. */
  maxBatchLatencyMs: number;
  /** Longest a producer waits for room (or an anchor for progress) before the writer halts. */
  haltThresholdMs: number;
  /**
   * Bytes of the shared queue of the worker writer. Defaults to `channelCapacity` × 512 bytes,
   * at least 1 MiB. One draft may take at most half of it.
   */
  queueBytes: number;
}

export const DEFAULT_WRITER_CONFIG: Readonly<Omit<WriterConfig, 'queueBytes'>> = Object.freeze({
  channelCapacity: 10_000,
  maxBatchEntries: 100,
  maxBatchLatencyMs: 5,
  haltThresholdMs: 250,
});

const BYTES_PER_ENTRY = 512;
const MINIMUM_QUEUE_BYTES = 1 << 20;

function nonNegative(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`writer config ${name} must be a finite non-negative number, got ${String(value)}`);
  }
  return value;
}

/**
 * The full config for a partial one. A capacity or batch size of 0 behaves like 1: the queue
 * cannot be a rendezvous channel, and an empty batch is never committed.
 */
export function resolveWriterConfig(partial: Partial<WriterConfig> = {}): WriterConfig {
  const channelCapacity = Math.max(1, Math.floor(nonNegative('channelCapacity', partial.channelCapacity ?? DEFAULT_WRITER_CONFIG.channelCapacity)));
  const maxBatchEntries = Math.max(1, Math.floor(nonNegative('maxBatchEntries', partial.maxBatchEntries ?? DEFAULT_WRITER_CONFIG.maxBatchEntries)));
  const maxBatchLatencyMs = nonNegative('maxBatchLatencyMs', partial.maxBatchLatencyMs ?? DEFAULT_WRITER_CONFIG.maxBatchLatencyMs);
  const haltThresholdMs = nonNegative('haltThresholdMs', partial.haltThresholdMs ?? DEFAULT_WRITER_CONFIG.haltThresholdMs);
  const requestedBytes = partial.queueBytes ?? Math.max(MINIMUM_QUEUE_BYTES, channelCapacity * BYTES_PER_ENTRY);
  // The ring works in 8-byte units; round up so every record and the wrap marker stay aligned.
  const queueBytes = Math.ceil(nonNegative('queueBytes', requestedBytes) / 8) * 8;
  if (queueBytes < 1024) throw new RangeError(`writer config queueBytes must be at least 1024, got ${queueBytes}`);
  return { channelCapacity, maxBatchEntries, maxBatchLatencyMs, haltThresholdMs, queueBytes };
}
