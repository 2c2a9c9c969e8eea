import { describe, expect, it } from 'vitest';
import { verifyMarkers } from '../src/marker-verifier.js';
import { MemoryMarkerBackend } from '../src/memory-backend.js';
import { type DataCursorSnapshot, type HiFiMarker, type MarkerGap, newMarkerManifest, type StreamCursor } from '../src/model.js';
import { computeGapHash, computeHiFiHash, computeMarkerHash } from '../src/record-hash.js';
import { hashOf } from './fixtures/test-support.js';

function open(): MemoryMarkerBackend {
  const backend = new MemoryMarkerBackend();
  backend.openRun(newMarkerManifest('run-v', ['Quote'], false));
  return backend;
}

function snapshot(markerSeq: number, eventSeqBefore = 1, advanced: StreamCursor[] = [{ slot: 0, tsInitHi: 10n, count: 1 }]): DataCursorSnapshot {
  return { markerSeq, eventSeqBefore, tsInit: 1n, advanced };
}

async function addSnapshot(backend: MemoryMarkerBackend, record: DataCursorSnapshot) {
  await backend.appendSnapshot(record, computeMarkerHash(record));
}

async function addHiFi(backend: MemoryMarkerBackend, markerSeq: number, eventSeqBefore = 1) {
  const record: HiFiMarker = { markerSeq, eventSeqBefore, slot: 0, tsEvent: 1n, tsInit: 1n, sameTsOrdinal: 0, recordFingerprint: hashOf(7) };
  await backend.appendHiFi(record, computeHiFiHash(record));
}

async function addGap(backend: MemoryMarkerBackend, gap: MarkerGap) {
  await backend.appendGap(gap, computeGapHash(gap));
}

describe('verifyMarkers', () => {
  it('passes contiguous snapshots and reports counts and status', async () => {
    const backend = open();
    await addSnapshot(backend, snapshot(1));
    await addSnapshot(backend, snapshot(2));
    const report = await verifyMarkers(backend, { entryHighWatermark: 1 });
    expect(report).toMatchObject({ runId: 'run-v', status: 'Running', snapshotsScanned: 2, hifiScanned: 0, findings: [] });
  });

  it('counts hifi markers in the marker-seq coverage', async () => {
    const backend = open();
    await addSnapshot(backend, snapshot(1));
    await addHiFi(backend, 2);
    await addSnapshot(backend, snapshot(3));
    expect((await verifyMarkers(backend)).findings).toEqual([]);
  });

  it('accepts a recorded gap as coverage and lists it in the report', async () => {
    const backend = open();
    await addSnapshot(backend, snapshot(1));
    await addGap(backend, { fromMarkerSeq: 2, toMarkerSeq: 2, reason: 'Overflow' });
    await addSnapshot(backend, snapshot(3));
    const report = await verifyMarkers(backend);
    expect(report.findings).toEqual([]);
    expect(report.gaps).toEqual([{ fromMarkerSeq: 2, toMarkerSeq: 2, reason: 'Overflow' }]);
  });

  it('reports a manifest count that disagrees with the rows', async () => {
    const backend = open();
    await addSnapshot(backend, snapshot(1));
    const manifest = await backend.manifest();
    backend.manifest = async () => ({ ...manifest, snapshotCount: 2 });
    expect((await verifyMarkers(backend)).findings).toEqual([{ kind: 'ManifestCountMismatch', countKind: 'Snapshot', manifestCount: 2, scannedCount: 1 }]);
  });

  it('reports a missing marker seq without a gap', async () => {
    const backend = open();
    await addSnapshot(backend, snapshot(1));
    await addSnapshot(backend, snapshot(3));
    expect((await verifyMarkers(backend)).findings).toEqual([{ kind: 'MarkerSeqGap', fromMarkerSeq: 2, toMarkerSeq: 2 }]);
  });

  it('reports an inverted gap', async () => {
    const backend = open();
    await addGap(backend, { fromMarkerSeq: 4, toMarkerSeq: 2, reason: 'Overflow' });
    expect((await verifyMarkers(backend)).findings).toEqual([{ kind: 'InvalidMarkerGap', fromMarkerSeq: 4, toMarkerSeq: 2 }]);
  });

  it('reports overlapping coverage', async () => {
    const backend = open();
    await addSnapshot(backend, snapshot(1));
    await addGap(backend, { fromMarkerSeq: 1, toMarkerSeq: 1, reason: 'Overflow' });
    expect((await verifyMarkers(backend)).findings).toEqual([{ kind: 'MarkerSeqOverlap', fromMarkerSeq: 1, toMarkerSeq: 1 }]);
  });

  it('reports cursor count and tsInitHi regressions', async () => {
    const backend = open();
    await addSnapshot(backend, snapshot(1, 1, [{ slot: 0, tsInitHi: 200n, count: 10 }]));
    await addSnapshot(backend, snapshot(2, 1, [{ slot: 0, tsInitHi: 199n, count: 9 }]));
    expect((await verifyMarkers(backend)).findings).toEqual([
      { kind: 'CursorCountRegressed', markerSeq: 2, slot: 0, previousCount: 10, count: 9 },
      { kind: 'CursorTsInitRegressed', markerSeq: 2, slot: 0, previousTsInitHi: 200n, tsInitHi: 199n },
    ]);
  });

  it('reports an eventSeqBefore regression and one past the entry high-watermark', async () => {
    const backend = open();
    await addSnapshot(backend, snapshot(1, 10));
    await addHiFi(backend, 2, 9);
    await addSnapshot(backend, snapshot(3, 11));
    expect((await verifyMarkers(backend, { entryHighWatermark: 10 })).findings).toEqual([
      { kind: 'EventSeqRegressed', markerSeq: 2, previousEventSeqBefore: 10, eventSeqBefore: 9 },
      { kind: 'EventSeqExceedsHighWatermark', markerSeq: 3, eventSeqBefore: 11, highWatermark: 10 },
    ]);
    expect((await verifyMarkers(backend)).findings.map((finding) => finding.kind)).toEqual(['EventSeqRegressed']);
  });

  it('reports bad stored hashes of every kind', async () => {
    const backend = open();
    await backend.appendSnapshot(snapshot(1), hashOf(0));
    await backend.appendHiFi({ markerSeq: 2, eventSeqBefore: 1, slot: 0, tsEvent: 1n, tsInit: 1n, sameTsOrdinal: 0, recordFingerprint: hashOf(7) }, hashOf(0));
    await backend.appendGap({ fromMarkerSeq: 3, toMarkerSeq: 3, reason: 'Overflow' }, hashOf(0));
    await backend.putDict({ slot: 0, dataClass: 'Quote', identifier: 'x' }, hashOf(0));
    expect((await verifyMarkers(backend)).findings).toEqual([
      { kind: 'HashMismatch', recordKind: 'Snapshot', markerSeq: 1 },
      { kind: 'HashMismatch', recordKind: 'HiFi', markerSeq: 2, slot: 0 },
      { kind: 'HashMismatch', recordKind: 'Gap' },
      { kind: 'HashMismatch', recordKind: 'Dict', slot: 0 },
    ]);
  });
});
