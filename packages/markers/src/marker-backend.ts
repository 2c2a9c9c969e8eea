/**
 * The marker backend contract: one open marker run, written in atomic durable batches whose
 * manifest counts commit with the rows, read back in key order with the stored hashes. The
 * backend stores precomputed hashes verbatim; the writer computes them and the verifier checks.
 */
import type { SealedRunStatus } from '@tapelog/core';
import type { DataCursorSnapshot, HiFiMarker, MarkerGap, MarkerManifest, MarkerRecordKind, StoredMarkerRecord, StreamDictEntry } from './model.js';

/** One row to write, with its precomputed hash. */
export type MarkerWrite =
  | { kind: 'Snapshot'; record: DataCursorSnapshot; hash: Uint8Array }
  | { kind: 'HiFi'; record: HiFiMarker; hash: Uint8Array }
  | { kind: 'Gap'; record: MarkerGap; hash: Uint8Array }
  | { kind: 'Dict'; record: StreamDictEntry; hash: Uint8Array };

export interface MarkerBackend {
  /** Where the store lives (a path, or `memory`), for messages. */
  readonly location: string;
  /**
   * Writes rows in order as one atomic, durable commit that also updates the manifest counts.
   * Snapshots and hifi markers are keyed by `markerSeq`, gaps by `fromMarkerSeq`; dictionary
   * entries are write-once by slot (a second put for a slot is ignored and not counted).
   * CLOSED once sealed or read-only.
   */
  write(writes: readonly MarkerWrite[]): Promise<void>;
  appendSnapshot(record: DataCursorSnapshot, hash: Uint8Array): Promise<void>;
  appendHiFi(record: HiFiMarker, hash: Uint8Array): Promise<void>;
  appendGap(record: MarkerGap, hash: Uint8Array): Promise<void>;
  putDict(record: StreamDictEntry, hash: Uint8Array): Promise<void>;
  /** Ascending `markerSeq`. */
  scanSnapshots(): Promise<StoredMarkerRecord<DataCursorSnapshot>[]>;
  /** Ascending `markerSeq`. */
  scanHiFi(): Promise<StoredMarkerRecord<HiFiMarker>[]>;
  /** Ascending `fromMarkerSeq`. */
  scanGaps(): Promise<StoredMarkerRecord<MarkerGap>[]>;
  /** Ascending slot. */
  scanDict(): Promise<StoredMarkerRecord<StreamDictEntry>[]>;
  /** Sets a terminal status. BACKEND for `Running`; CLOSED when already sealed or read-only. */
  seal(status: SealedRunStatus): Promise<MarkerManifest>;
  /** The current manifest, counts included. */
  manifest(): Promise<MarkerManifest>;
  /** Releases handles; does not seal. Idempotent. */
  close(): Promise<void>;
}

/** The manifest count each record kind advances. */
/** The single-row appends, each one `write` of one row; concrete backends implement the rest. */
export abstract class SingleRowWrites {
  abstract write(writes: readonly MarkerWrite[]): Promise<void>;

  appendSnapshot(record: DataCursorSnapshot, hash: Uint8Array): Promise<void> {
    return this.write([{ kind: 'Snapshot', record, hash }]);
  }

  appendHiFi(record: HiFiMarker, hash: Uint8Array): Promise<void> {
    return this.write([{ kind: 'HiFi', record, hash }]);
  }

  appendGap(record: MarkerGap, hash: Uint8Array): Promise<void> {
    return this.write([{ kind: 'Gap', record, hash }]);
  }

  putDict(record: StreamDictEntry, hash: Uint8Array): Promise<void> {
    return this.write([{ kind: 'Dict', record, hash }]);
  }
}

export const COUNT_FIELD: Readonly<Record<MarkerRecordKind, 'snapshotCount' | 'hifiCount' | 'gapCount' | 'dictCount'>> = Object.freeze({
  Snapshot: 'snapshotCount',
  HiFi: 'hifiCount',
  Gap: 'gapCount',
  Dict: 'dictCount',
});

export const SEAL_RUNNING_MESSAGE = 'seal status must be a terminal state, was Running';
