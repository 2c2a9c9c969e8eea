/**
 * The `dataMarkers` configuration: plain data with defaults, validated once at setup so the
 * hot path can trust it. Leaving `dataMarkers` out of the event-store config disables markers.
 */
import { DATA_CLASSES, type DataClass, parseDataClass } from './data-class.js';
import { DEFAULT_MARKER_CHANNEL_CAPACITY, DEFAULT_MARKER_MAX_BATCH, DEFAULT_MARKER_MAX_LATENCY_MS } from './marker-writer.js';

export const DEFAULT_SAFETY_FLUSH_INTERVAL_MS = 1000;

export interface DataMarkerConfig {
  /** Classes captured. Default: all five, in canonical order. */
  classes?: readonly DataClass[];
  /** Identifiers that get one high-fidelity marker per record (bars: the bar-type string). Default none. */
  highFidelity?: readonly string[];
  /** Longest wait between snapshots while data advances without entry submits. Default 1000 ms. */
  safetyFlushIntervalMs?: number;
  /** Markers that may wait for the store; more are dropped and recorded as a gap. Default 10 000 (0 → 1). */
  channelCapacity?: number;
  /** Rows per store commit. Default 100. */
  maxBatch?: number;
  /** How long a first queued row waits for a batch. Default 5 ms. */
  maxLatencyMs?: number;
}

export interface ResolvedDataMarkerConfig {
  classes: DataClass[];
  highFidelity: string[];
  safetyFlushIntervalNs: bigint;
  channelCapacity: number;
  maxBatch: number;
  maxLatencyMs: number;
}

function nonNegative(name: string, value: number | undefined, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (integer && !Number.isSafeInteger(value))) {
    throw new RangeError(`dataMarkers.${name} must be a non-negative ${integer ? 'integer' : 'number'}, got ${String(value)}`);
  }
  return value;
}

/** Fills defaults and checks every field; a bad field is a RangeError/TypeError naming it. */
export function resolveDataMarkerConfig(config: DataMarkerConfig = {}): ResolvedDataMarkerConfig {
  const classes = config.classes === undefined ? [...DATA_CLASSES] : config.classes.map((name) => parseDataClass(name));
  const highFidelity = [...(config.highFidelity ?? [])];
  for (const identifier of highFidelity) {
    if (typeof identifier !== 'string' || identifier.length === 0)
      throw new TypeError(`dataMarkers.highFidelity entries must be non-empty strings, got ${JSON.stringify(identifier)}`);
  }
  const intervalMs = nonNegative('safetyFlushIntervalMs', config.safetyFlushIntervalMs, DEFAULT_SAFETY_FLUSH_INTERVAL_MS, false);
  return {
    classes,
    highFidelity,
    safetyFlushIntervalNs: BigInt(Math.round(intervalMs * 1_000_000)),
    channelCapacity: Math.max(1, nonNegative('channelCapacity', config.channelCapacity, DEFAULT_MARKER_CHANNEL_CAPACITY, true)),
    maxBatch: Math.max(1, nonNegative('maxBatch', config.maxBatch, DEFAULT_MARKER_MAX_BATCH, true)),
    maxLatencyMs: nonNegative('maxLatencyMs', config.maxLatencyMs, DEFAULT_MARKER_MAX_LATENCY_MS, false),
  };
}
