/**
 * The marker verifier: recomputes every stored hash, checks the manifest counts, the coverage of
 * the marker sequence (markers and gaps, without holes or overlaps), `eventSeqBefore` order and
 * bounds, and cursor monotonicity. Findings are collected, never thrown; only a failing read throws.
 */
import { bytesEqual, type RunStatus } from '@tapelog/core';
import type { MarkerBackend } from './marker-backend.js';
import type { MarkerRecordKind } from './model.js';
import { computeDictHash, computeGapHash, computeHiFiHash, computeMarkerHash } from './record-hash.js';

export type MarkerFinding =
  | { kind: 'RunMismatch'; manifestRunId: string; expectedRunId: string }
  | { kind: 'HashMismatch'; recordKind: MarkerRecordKind; markerSeq?: number; slot?: number }
  | { kind: 'ManifestCountMismatch'; countKind: MarkerRecordKind; manifestCount: number; scannedCount: number }
  | { kind: 'InvalidMarkerGap'; fromMarkerSeq: number; toMarkerSeq: number }
  | { kind: 'MarkerSeqGap'; fromMarkerSeq: number; toMarkerSeq: number }
  | { kind: 'MarkerSeqOverlap'; fromMarkerSeq: number; toMarkerSeq: number }
  | { kind: 'EventSeqExceedsHighWatermark'; markerSeq: number; eventSeqBefore: number; highWatermark: number }
  | { kind: 'EventSeqRegressed'; markerSeq: number; previousEventSeqBefore: number; eventSeqBefore: number }
  | { kind: 'CursorCountRegressed'; markerSeq: number; slot: number; previousCount: number; count: number }
  | { kind: 'CursorTsInitRegressed'; markerSeq: number; slot: number; previousTsInitHi: bigint; tsInitHi: bigint };

export interface MarkerVerifyReport {
  runId: string;
  /** Reported, not judged: `Running` is not a finding. */
  status: RunStatus;
  snapshotsScanned: number;
  hifiScanned: number;
  gapsScanned: number;
  dictEntriesScanned: number;
  /** Dropped-marker ranges the writer recorded (gap rows), for the report; they are not findings. */
  gaps: Array<{ fromMarkerSeq: number; toMarkerSeq: number; reason: string }>;
  /** The entry high-watermark checked against, when one was given. */
  entryHighWatermark: number | undefined;
  findings: MarkerFinding[];
}

export function isMarkerReportClean(report: MarkerVerifyReport): boolean {
  return report.findings.length === 0;
}

export interface VerifyMarkersOptions {
  /**
   * The durable high-watermark of the sibling entry run. Without it the
   * `EventSeqExceedsHighWatermark` check is skipped.
   */
  entryHighWatermark?: number;
  /** The run the store must belong to (its sibling entry run); without it the check is skipped. */
  expectedRunId?: string;
}

/** Scans a marker store (read-only use is enough) and reports every finding, in upstream's order. */
export async function verifyMarkers(backend: MarkerBackend, options: VerifyMarkersOptions = {}): Promise<MarkerVerifyReport> {
  const manifest = await backend.manifest();
  const snapshots = await backend.scanSnapshots();
  const hifi = await backend.scanHiFi();
  const gaps = await backend.scanGaps();
  const dict = await backend.scanDict();
  const findings: MarkerFinding[] = [];
  if (options.expectedRunId !== undefined && manifest.runId !== options.expectedRunId) {
    findings.push({ kind: 'RunMismatch', manifestRunId: manifest.runId, expectedRunId: options.expectedRunId });
  }

  for (const { record, hash } of snapshots) {
    if (!bytesEqual(hash, computeMarkerHash(record))) findings.push({ kind: 'HashMismatch', recordKind: 'Snapshot', markerSeq: record.markerSeq });
  }
  for (const { record, hash } of hifi) {
    if (!bytesEqual(hash, computeHiFiHash(record))) findings.push({ kind: 'HashMismatch', recordKind: 'HiFi', markerSeq: record.markerSeq, slot: record.slot });
  }
  for (const { record, hash } of gaps) {
    if (!bytesEqual(hash, computeGapHash(record))) findings.push({ kind: 'HashMismatch', recordKind: 'Gap' });
  }
  for (const { record, hash } of dict) {
    if (!bytesEqual(hash, computeDictHash(record))) findings.push({ kind: 'HashMismatch', recordKind: 'Dict', slot: record.slot });
  }

  const counts: Array<[MarkerRecordKind, number, number]> = [
    ['Snapshot', manifest.snapshotCount, snapshots.length],
    ['HiFi', manifest.hifiCount, hifi.length],
    ['Gap', manifest.gapCount, gaps.length],
    ['Dict', manifest.dictCount, dict.length],
  ];
  for (const [countKind, manifestCount, scannedCount] of counts) {
    if (manifestCount !== scannedCount) findings.push({ kind: 'ManifestCountMismatch', countKind, manifestCount, scannedCount });
  }

  // Marker-sequence coverage: every marker covers its own seq, every valid gap its range.
  const intervals: Array<[from: number, to: number]> = [];
  for (const { record } of gaps) {
    if (record.fromMarkerSeq > record.toMarkerSeq)
      findings.push({ kind: 'InvalidMarkerGap', fromMarkerSeq: record.fromMarkerSeq, toMarkerSeq: record.toMarkerSeq });
    else intervals.push([record.fromMarkerSeq, record.toMarkerSeq]);
  }
  for (const { record } of snapshots) intervals.push([record.markerSeq, record.markerSeq]);
  for (const { record } of hifi) intervals.push([record.markerSeq, record.markerSeq]);
  intervals.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let expected = 1;
  for (const [from, to] of intervals) {
    if (from > expected) {
      findings.push({ kind: 'MarkerSeqGap', fromMarkerSeq: expected, toMarkerSeq: from - 1 });
      expected = to + 1;
    } else if (from < expected) {
      findings.push({ kind: 'MarkerSeqOverlap', fromMarkerSeq: from, toMarkerSeq: Math.min(to, expected - 1) });
      if (to >= expected) expected = to + 1;
    } else {
      expected = to + 1;
    }
  }

  // eventSeqBefore never decreases along the marker sequence and never passes the entry hwm.
  const markers = [
    ...snapshots.map(({ record }) => ({ markerSeq: record.markerSeq, eventSeqBefore: record.eventSeqBefore })),
    ...hifi.map(({ record }) => ({ markerSeq: record.markerSeq, eventSeqBefore: record.eventSeqBefore })),
  ].sort((a, b) => a.markerSeq - b.markerSeq);
  const highWatermark = options.entryHighWatermark;
  let previous: number | undefined;
  for (const { markerSeq, eventSeqBefore } of markers) {
    if (highWatermark !== undefined && eventSeqBefore > highWatermark) {
      findings.push({ kind: 'EventSeqExceedsHighWatermark', markerSeq, eventSeqBefore, highWatermark });
    }
    if (previous !== undefined && eventSeqBefore < previous) {
      findings.push({ kind: 'EventSeqRegressed', markerSeq, previousEventSeqBefore: previous, eventSeqBefore });
    }
    previous = eventSeqBefore;
  }

  // Cursors are cumulative: per slot, count and tsInitHi never decrease.
  const lastCursor = new Map<number, { count: number; tsInitHi: bigint }>();
  for (const { record } of [...snapshots].sort((a, b) => a.record.markerSeq - b.record.markerSeq)) {
    for (const cursor of record.advanced) {
      const before = lastCursor.get(cursor.slot);
      if (before !== undefined) {
        if (cursor.count < before.count) {
          findings.push({ kind: 'CursorCountRegressed', markerSeq: record.markerSeq, slot: cursor.slot, previousCount: before.count, count: cursor.count });
        }
        if (cursor.tsInitHi < before.tsInitHi) {
          findings.push({
            kind: 'CursorTsInitRegressed',
            markerSeq: record.markerSeq,
            slot: cursor.slot,
            previousTsInitHi: before.tsInitHi,
            tsInitHi: cursor.tsInitHi,
          });
        }
      }
      lastCursor.set(cursor.slot, { count: cursor.count, tsInitHi: cursor.tsInitHi });
    }
  }

  return {
    runId: manifest.runId,
    status: manifest.status,
    snapshotsScanned: snapshots.length,
    hifiScanned: hifi.length,
    gapsScanned: gaps.length,
    dictEntriesScanned: dict.length,
    gaps: gaps.map(({ record }) => ({ fromMarkerSeq: record.fromMarkerSeq, toMarkerSeq: record.toMarkerSeq, reason: record.reason })),
    entryHighWatermark: highWatermark,
    findings,
  };
}
