/**
 * The marker-store contract as the suite sees it: structural types matching `@tapelog/markers/store`'
 * `MarkerBackend`, so a third-party marker store is checked without this package depending on
 * the markers package.
 */
import type { SealedRunStatus } from '@tapelog/core';

export interface CursorSnapshotRecord {
  markerSeq: number;
  eventSeqBefore: number;
  tsInit: bigint;
  advanced: Array<{ slot: number; tsInitHi: bigint; count: number }>;
}

export interface HiFiRecord {
  markerSeq: number;
  eventSeqBefore: number;
  slot: number;
  tsEvent: bigint;
  tsInit: bigint;
  sameTsOrdinal: number;
  recordFingerprint: Uint8Array;
}

export interface GapRecord {
  fromMarkerSeq: number;
  toMarkerSeq: number;
  reason: 'Overflow' | 'WriterClosed';
}

export interface DictRecord {
  slot: number;
  dataClass: string;
  identifier: string;
}

export interface MarkerStoreManifest {
  runId: string;
  enabledClasses: string[];
  highFidelity: boolean;
  snapshotCount: number;
  hifiCount: number;
  gapCount: number;
  dictCount: number;
  status: string;
}

export type MarkerStoreWrite =
  | { kind: 'Snapshot'; record: CursorSnapshotRecord; hash: Uint8Array }
  | { kind: 'HiFi'; record: HiFiRecord; hash: Uint8Array }
  | { kind: 'Gap'; record: GapRecord; hash: Uint8Array }
  | { kind: 'Dict'; record: DictRecord; hash: Uint8Array };

export interface StoredRecord<T> {
  record: T;
  hash: Uint8Array;
}

/** What a marker store offers (`MarkerBackend` of `@tapelog/markers/store`). */
export interface MarkerStoreUnderTest {
  readonly location: string;
  write(writes: readonly MarkerStoreWrite[]): Promise<void>;
  appendSnapshot(record: CursorSnapshotRecord, hash: Uint8Array): Promise<void>;
  appendHiFi(record: HiFiRecord, hash: Uint8Array): Promise<void>;
  appendGap(record: GapRecord, hash: Uint8Array): Promise<void>;
  putDict(record: DictRecord, hash: Uint8Array): Promise<void>;
  scanSnapshots(): Promise<Array<StoredRecord<CursorSnapshotRecord>>>;
  scanHiFi(): Promise<Array<StoredRecord<HiFiRecord>>>;
  scanGaps(): Promise<Array<StoredRecord<GapRecord>>>;
  scanDict(): Promise<Array<StoredRecord<DictRecord>>>;
  seal(status: SealedRunStatus): Promise<MarkerStoreManifest>;
  manifest(): Promise<MarkerStoreManifest>;
  close(): Promise<void>;
}
