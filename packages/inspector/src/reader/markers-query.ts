/**
 * The market-data marker sidecar of a run, for the markers page: each stream's delivery cursor
 * (cumulative count) at every cursor snapshot, placed on the run's timeline by the entry seq it
 * was taken after, and the recorded gaps (dropped marker ranges) placed the same way.
 */
import { LevelMarkerBackend } from '@tapelog/markers-level';
import type { RunSummary } from './run-summary.js';

export interface MarkersAnswer {
  present: boolean;
  status?: string;
  streams: Array<{ slot: number; dataClass: string; identifier: string }>;
  /** One point per snapshot: where it sits and every slot's cumulative count so far. */
  cursors: Array<{ markerSeq: number; eventSeq: number; offset: number; counts: Record<number, number> }>;
  gaps: Array<{ fromMarkerSeq: number; toMarkerSeq: number; reason: string; eventSeq: number; offset: number | null }>;
  hifiCount: number;
}

function offsetOfSeq(summary: RunSummary, seq: number): number | null {
  if (summary.entries === 0) return null;
  return summary.offsets[Math.min(Math.max(seq, 1), summary.entries) - 1]!;
}

export async function queryMarkers(summary: RunSummary, path: string | undefined): Promise<MarkersAnswer> {
  if (path === undefined) return { present: false, streams: [], cursors: [], gaps: [], hifiCount: 0 };
  const backend = await LevelMarkerBackend.openReadOnly(path);
  try {
    const manifest = await backend.manifest();
    const streams = (await backend.scanDict()).map(({ record }) => ({ slot: record.slot, dataClass: record.dataClass, identifier: record.identifier }));
    const running: Record<number, number> = {};
    const cursors: MarkersAnswer['cursors'] = [];
    // Marker seq → the entry seq it was taken after, to place the gaps between their neighbours.
    const eventSeqByMarker: Array<[number, number]> = [];
    for (const { record } of await backend.scanSnapshots()) {
      for (const cursor of record.advanced) running[cursor.slot] = cursor.count;
      cursors.push({
        markerSeq: record.markerSeq,
        eventSeq: record.eventSeqBefore,
        offset: offsetOfSeq(summary, record.eventSeqBefore) ?? 0,
        counts: { ...running },
      });
      eventSeqByMarker.push([record.markerSeq, record.eventSeqBefore]);
    }
    const hifi = await backend.scanHiFi();
    for (const { record } of hifi) eventSeqByMarker.push([record.markerSeq, record.eventSeqBefore]);
    eventSeqByMarker.sort((left, right) => left[0] - right[0]);
    const gaps = (await backend.scanGaps()).map(({ record }) => {
      const before = eventSeqByMarker.filter(([markerSeq]) => markerSeq < record.fromMarkerSeq).pop();
      const eventSeq = before?.[1] ?? 0;
      return { fromMarkerSeq: record.fromMarkerSeq, toMarkerSeq: record.toMarkerSeq, reason: record.reason, eventSeq, offset: offsetOfSeq(summary, eventSeq) };
    });
    return { present: true, status: manifest.status, streams, cursors, gaps, hifiCount: hifi.length };
  } finally {
    await backend.close().catch(() => {});
  }
}
