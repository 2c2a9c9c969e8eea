/**
 * The memory marker store beyond the shared marker-store suite (marker-store-conformance.test.ts,
 * which covers ordering, write-once dictionary slots, counts and seal rules): duplicate keys,
 * manifest normalisation, isolation of stored rows, calls before a run is open.
 */
import { describe, expect, it } from 'vitest';
import { MemoryMarkerBackend } from '../src/memory-backend.js';
import { type DataCursorSnapshot, type HiFiMarker, newMarkerManifest } from '../src/model.js';
import { hashOf } from './fixtures/test-support.js';

const snap = (markerSeq: number): DataCursorSnapshot => ({ markerSeq, eventSeqBefore: 1, tsInit: 1n, advanced: [] });
const hifi = (markerSeq: number): HiFiMarker => ({
  markerSeq,
  eventSeqBefore: 1,
  slot: 0,
  tsEvent: 1n,
  tsInit: 1n,
  sameTsOrdinal: 0,
  recordFingerprint: hashOf(1),
});

function open(): MemoryMarkerBackend {
  const backend = new MemoryMarkerBackend();
  backend.openRun(newMarkerManifest('run-1', ['Quote', 'Trade'], true));
  return backend;
}

describe('MemoryMarkerBackend', () => {
  it('keeps both rows of a duplicate marker seq (the verifier reports the overlap)', async () => {
    const backend = open();
    await backend.appendSnapshot(snap(1), hashOf(1));
    await backend.appendSnapshot(snap(1), hashOf(2));
    expect((await backend.scanSnapshots()).map((row) => row.hash[0])).toEqual([1, 2]);
    expect((await backend.manifest()).snapshotCount).toBe(2);
  });

  it('opening normalizes a reused manifest to Running with zero counts, keeping classes and flag', async () => {
    const backend = new MemoryMarkerBackend();
    const reused = { ...newMarkerManifest('r', ['Bar'], true), snapshotCount: 99, hifiCount: 99, gapCount: 99, dictCount: 99, status: 'Ended' as const };
    backend.openRun(reused);
    expect(await backend.manifest()).toEqual(newMarkerManifest('r', ['Bar'], true));
  });

  it('counts one of each kind', async () => {
    const backend = open();
    await backend.appendSnapshot(snap(1), hashOf(1));
    await backend.appendHiFi(hifi(2), hashOf(1));
    await backend.appendGap({ fromMarkerSeq: 3, toMarkerSeq: 3, reason: 'Overflow' }, hashOf(1));
    await backend.putDict({ slot: 0, dataClass: 'Quote', identifier: 'x' }, hashOf(1));
    expect(await backend.manifest()).toMatchObject({ snapshotCount: 1, hifiCount: 1, gapCount: 1, dictCount: 1 });
  });

  it('does not let callers mutate stored rows', async () => {
    const backend = open();
    const record = snap(1);
    await backend.appendSnapshot(record, hashOf(1));
    record.markerSeq = 42;
    const [row] = await backend.scanSnapshots();
    row!.record.markerSeq = 43;
    expect((await backend.scanSnapshots())[0]?.record.markerSeq).toBe(1);
  });

  const calls: Array<[string, (backend: MemoryMarkerBackend) => Promise<unknown>]> = [
    ['appendSnapshot', (b) => b.appendSnapshot(snap(1), hashOf(1))],
    ['appendHiFi', (b) => b.appendHiFi(hifi(1), hashOf(1))],
    ['appendGap', (b) => b.appendGap({ fromMarkerSeq: 1, toMarkerSeq: 1, reason: 'Overflow' }, hashOf(1))],
    ['putDict', (b) => b.putDict({ slot: 0, dataClass: 'Quote', identifier: 'x' }, hashOf(1))],
    ['scanSnapshots', (b) => b.scanSnapshots()],
    ['scanHiFi', (b) => b.scanHiFi()],
    ['scanGaps', (b) => b.scanGaps()],
    ['scanDict', (b) => b.scanDict()],
    ['seal', (b) => b.seal('Ended')],
    ['manifest', (b) => b.manifest()],
  ];
  it.each(calls)('%s fails with BACKEND "no run open" before a run is open', async (_name, call) => {
    await expect(call(new MemoryMarkerBackend())).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
