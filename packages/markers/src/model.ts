/**
 * The marker data model: cursors, dictionary entries, cursor snapshots, high-fidelity markers,
 * gaps and the marker manifest. Event-store sequences, counts and slots are safe-integer
 * numbers; nanosecond timestamps are bigints, as everywhere in tapelog.
 */
import type { RunStatus } from '@tapelog/core';
import type { DataClass } from './data-class.js';

/** The cumulative position of one stream slot. */
export interface StreamCursor {
  /** Dense slot index (u32), assigned in first-observation order per run. */
  slot: number;
  /** Highest `tsInit` observed in this slot so far (a running max, starting at 0). */
  tsInitHi: bigint;
  /** Records observed in this slot so far (cumulative, not a delta). */
  count: number;
}

/** What a slot carries; produced once per slot, stored write-once. */
export interface StreamDictEntry {
  slot: number;
  dataClass: DataClass;
  /** The extractor's identifier: an instrument id, or for bars the bar-type string. */
  identifier: string;
}

/** A cursor snapshot: every slot that advanced since the previous snapshot. */
export interface DataCursorSnapshot {
  /** Position in the run's marker sequence (shared with high-fidelity markers), from 1. */
  markerSeq: number;
  /** The shared submit counter when the snapshot was built. */
  eventSeqBefore: number;
  /** Capture-time clock reading of the flush; not a data timestamp. */
  tsInit: bigint;
  /** Advanced slots in ascending slot order, with cumulative values. */
  advanced: StreamCursor[];
}

/** One marker per observed record of a high-fidelity stream. */
export interface HiFiMarker {
  markerSeq: number;
  /** The submit counter when the data message was observed. */
  eventSeqBefore: number;
  slot: number;
  tsEvent: bigint;
  tsInit: bigint;
  /** 0-based position within the current contiguous run of equal `tsInit` in this slot. */
  sameTsOrdinal: number;
  /** 32-byte class-specific content fingerprint. */
  recordFingerprint: Uint8Array;
}

/** Why marker sequence numbers are missing. The order gives the hash byte and stored index. */
export type MarkerGapReason = 'Overflow' | 'WriterClosed';

export const MARKER_GAP_REASONS: readonly MarkerGapReason[] = Object.freeze(['Overflow', 'WriterClosed']);

/** An inclusive range of marker sequence numbers that were dropped, and why. */
export interface MarkerGap {
  fromMarkerSeq: number;
  toMarkerSeq: number;
  reason: MarkerGapReason;
}

/** One per marker store; sealed independently of the entry run it sits beside. */
export interface MarkerManifest {
  /** The entry run this store belongs to. */
  runId: string;
  /** Informational: the configured classes, in configuration order. */
  enabledClasses: DataClass[];
  /** Informational: whether any identifier was configured for high fidelity. */
  highFidelity: boolean;
  snapshotCount: number;
  hifiCount: number;
  gapCount: number;
  /** Number of distinct slots in the dictionary. */
  dictCount: number;
  status: RunStatus;
}

/** A durable row: the record and the integrity hash computed beside it. */
export interface StoredMarkerRecord<T> {
  record: T;
  hash: Uint8Array;
}

/** The four durable record kinds. */
export type MarkerRecordKind = 'Snapshot' | 'HiFi' | 'Gap' | 'Dict';

/** A fresh manifest for a run: `Running`, zero counts. */
export function newMarkerManifest(runId: string, enabledClasses: readonly DataClass[], highFidelity: boolean): MarkerManifest {
  return {
    runId,
    enabledClasses: [...enabledClasses],
    highFidelity,
    snapshotCount: 0,
    hifiCount: 0,
    gapCount: 0,
    dictCount: 0,
    status: 'Running',
  };
}

export function cloneMarkerManifest(manifest: MarkerManifest): MarkerManifest {
  return { ...manifest, enabledClasses: [...manifest.enabledClasses] };
}

/** A marker store is sealed once its status is anything but `Running`. */
export function isMarkerManifestSealed(manifest: MarkerManifest): boolean {
  return manifest.status !== 'Running';
}
