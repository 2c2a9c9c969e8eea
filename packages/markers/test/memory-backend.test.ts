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
  it('scans snapshots and hifi markers in marker-seq order whatever the append order', async () => {
    const backend = open();
    for (const seq of [3, 1, 2]) await backend.appendSnapshot(snap(seq), hashOf(seq));
    for (const seq of [5, 4]) await backend.appendHiFi(hifi(seq), hashOf(seq));
    expect((await backend.scanSnapshots()).map((row) => [row.record.markerSeq, row.hash[0]])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect((await backend.scanHiFi()).map((row) => row.record.markerSeq)).toEqual([4, 5]);
  });

  it('keeps dictionary entries write-once by slot', async () => {
    const backend = open();
    await backend.putDict({ slot: 0, dataClass: 'Quote', identifier: 'first' }, hashOf(1));
    await backend.putDict({ slot: 0, dataClass: 'Trade', identifier: 'remap' }, hashOf(2));
    await backend.putDict({ slot: 1, dataClass: 'Trade', identifier: 'other' }, hashOf(3));
    expect((await backend.scanDict()).map((row) => row.record.identifier)).toEqual(['first', 'other']);
    expect((await backend.manifest()).dictCount).toBe(2);
  });

  it('scans gaps by their first seq', async () => {
    const backend = open();
    await backend.appendGap({ fromMarkerSeq: 20, toMarkerSeq: 20, reason: 'WriterClosed' }, hashOf(2));
    await backend.appendGap({ fromMarkerSeq: 5, toMarkerSeq: 9, reason: 'Overflow' }, hashOf(1));
    expect((await backend.scanGaps()).map((row) => row.record)).toEqual([
      { fromMarkerSeq: 5, toMarkerSeq: 9, reason: 'Overflow' },
      { fromMarkerSeq: 20, toMarkerSeq: 20, reason: 'WriterClosed' },
    ]);
  });

  it('keeps both rows of a duplicate marker seq (the verifier reports the overlap)', async () => {
    const backend = open();
    await backend.appendSnapshot(snap(1), hashOf(1));
    await backend.appendSnapshot(snap(1), hashOf(2));
    expect((await backend.scanSnapshots()).map((row) => row.hash[0])).toEqual([1, 2]);
    expect((await backend.manifest()).snapshotCount).toBe(2);
  });

  it.each(['Ended', 'CrashedRecovered', 'Quarantined'] as const)('seals with status %s', async (status) => {
    const backend = open();
    expect((await backend.seal(status)).status).toBe(status);
    expect((await backend.manifest()).status).toBe(status);
  });

  it('opening normalizes a reused manifest to Running with zero counts, keeping classes and flag', async () => {
    const backend = new MemoryMarkerBackend();
    backend.openRun({
      runId: 'r',
      enabledClasses: ['Bar'],
      highFidelity: true,
      snapshotCount: 99,
      hifiCount: 99,
      gapCount: 99,
      dictCount: 99,
      status: 'Ended',
    });
    expect(await backend.manifest()).toEqual({
      runId: 'r',
      enabledClasses: ['Bar'],
      highFidelity: true,
      snapshotCount: 0,
      hifiCount: 0,
      gapCount: 0,
      dictCount: 0,
      status: 'Running',
    });
  });

  it('counts one of each kind', async () => {
    const backend = open();
    await backend.appendSnapshot(snap(1), hashOf(1));
    await backend.appendHiFi(hifi(2), hashOf(1));
    await backend.appendGap({ fromMarkerSeq: 3, toMarkerSeq: 3, reason: 'Overflow' }, hashOf(1));
    await backend.putDict({ slot: 0, dataClass: 'Quote', identifier: 'x' }, hashOf(1));
    expect(await backend.manifest()).toMatchObject({ snapshotCount: 1, hifiCount: 1, gapCount: 1, dictCount: 1 });
  });

  it('refuses appends after seal, a Running seal and a second seal', async () => {
    const backend = open();
    await expect(backend.seal('Running' as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((await backend.manifest()).status).toBe('Running');
    await backend.seal('Ended');
    await expect(backend.appendSnapshot(snap(1), hashOf(1))).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(backend.seal('Quarantined')).rejects.toMatchObject({ code: 'CLOSED' });
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
