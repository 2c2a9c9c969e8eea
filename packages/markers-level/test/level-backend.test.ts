import { join } from 'node:path';
import { encodeRecord } from '@tapelog/core';
import { type DataCursorSnapshot, type HiFiMarker, newMarkerManifest } from '@tapelog/markers';
import { temporaryDirectory } from '@tapelog/test-support';
import { ClassicLevel } from 'classic-level';
import { beforeEach, describe, expect, it } from 'vitest';
import { LevelMarkerBackend, markersPath } from '../src/index.js';

const hashOf = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);

const snap = (markerSeq: number): DataCursorSnapshot => ({ markerSeq, eventSeqBefore: 1, tsInit: 1n, advanced: [{ slot: 0, tsInitHi: 5n, count: markerSeq }] });
const hifi = (markerSeq: number): HiFiMarker => ({
  markerSeq,
  eventSeqBefore: 1,
  slot: 0,
  tsEvent: 1n,
  tsInit: 1n,
  sameTsOrdinal: 0,
  recordFingerprint: hashOf(9),
});
const manifest = newMarkerManifest('1700-abcdef01', ['Quote'], false);

let dir: string;
let path: string;
beforeEach(() => {
  dir = temporaryDirectory('tapelog-markers-level-');
  path = markersPath(dir, 'trader-1', manifest.runId);
});

async function withRaw(run: (db: ClassicLevel<string, Uint8Array>) => Promise<void>): Promise<void> {
  const db = new ClassicLevel<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view' });
  await db.open();
  try {
    await run(db);
  } finally {
    await db.close();
  }
}

describe('LevelMarkerBackend', () => {
  it('lives at <baseDir>/<instanceId>/<runId>.markers.level and rejects unsafe segments', () => {
    expect(path).toBe(join(dir, 'trader-1', '1700-abcdef01.markers.level'));
    expect(() => markersPath(dir, '..', 'r')).toThrow(TypeError);
  });

  it('round-trips rows out of order, ignores dictionary remaps, and keeps them across reopen', async () => {
    const backend = await LevelMarkerBackend.open(path, manifest);
    for (const seq of [12, 2, 10]) await backend.appendSnapshot(snap(seq), hashOf(seq));
    await backend.appendHiFi(hifi(11), hashOf(11));
    await backend.appendHiFi(hifi(1), hashOf(1));
    await backend.appendGap({ fromMarkerSeq: 3, toMarkerSeq: 9, reason: 'Overflow' }, hashOf(3));
    await backend.putDict({ slot: 0, dataClass: 'Quote', identifier: 'first' }, hashOf(4));
    await backend.putDict({ slot: 0, dataClass: 'Trade', identifier: 'remap' }, hashOf(5));
    await backend.putDict({ slot: 1, dataClass: 'Trade', identifier: 'second' }, hashOf(6));
    await backend.seal('Ended');
    await backend.close();

    const reopened = await LevelMarkerBackend.openReadOnly(path);
    expect((await reopened.scanSnapshots()).map((row) => [row.record.markerSeq, row.hash[0]])).toEqual([
      [2, 2],
      [10, 10],
      [12, 12],
    ]);
    expect((await reopened.scanSnapshots())[0]?.record).toEqual(snap(2));
    expect((await reopened.scanHiFi()).map((row) => row.record)).toEqual([hifi(1), hifi(11)]);
    expect((await reopened.scanGaps()).map((row) => row.record)).toEqual([{ fromMarkerSeq: 3, toMarkerSeq: 9, reason: 'Overflow' }]);
    expect((await reopened.scanDict()).map((row) => row.record.identifier)).toEqual(['first', 'second']);
    expect(await reopened.manifest()).toMatchObject({ status: 'Ended', snapshotCount: 3, hifiCount: 2, gapCount: 1, dictCount: 2 });
    await reopened.close();
  });

  it('writes a batch atomically with its manifest counts, even while unsealed', async () => {
    const backend = await LevelMarkerBackend.open(path, manifest);
    await backend.write([
      { kind: 'Dict', record: { slot: 0, dataClass: 'Quote', identifier: 'a' }, hash: hashOf(1) },
      { kind: 'Dict', record: { slot: 0, dataClass: 'Quote', identifier: 'again' }, hash: hashOf(1) },
      { kind: 'Snapshot', record: snap(1), hash: hashOf(1) },
      { kind: 'HiFi', record: hifi(2), hash: hashOf(1) },
      { kind: 'Gap', record: { fromMarkerSeq: 3, toMarkerSeq: 3, reason: 'Overflow' }, hash: hashOf(1) },
    ]);
    await backend.close();
    const readOnly = await LevelMarkerBackend.openReadOnly(path);
    expect(await readOnly.manifest()).toMatchObject({ status: 'Running', snapshotCount: 1, hifiCount: 1, gapCount: 1, dictCount: 1 });
    await readOnly.close();
  });

  it('reopening an unsealed store marks it CrashedRecovered, keeps the data and refuses writes', async () => {
    const backend = await LevelMarkerBackend.open(path, manifest);
    await backend.appendSnapshot(snap(1), hashOf(1));
    await backend.close();
    const reopened = await LevelMarkerBackend.open(path, { ...manifest, enabledClasses: ['Bar'] });
    expect(await reopened.manifest()).toMatchObject({ status: 'CrashedRecovered', enabledClasses: ['Quote'], snapshotCount: 1 });
    await expect(reopened.appendSnapshot(snap(2), hashOf(2))).rejects.toMatchObject({ code: 'CLOSED' });
    expect((await reopened.scanSnapshots()).map((row) => row.record.markerSeq)).toEqual([1]);
    await reopened.close();
  });

  it('refuses to open another run’s store', async () => {
    await (await LevelMarkerBackend.open(path, manifest)).close();
    await expect(LevelMarkerBackend.open(path, { ...manifest, runId: 'other' })).rejects.toMatchObject({
      code: 'RUN_MISMATCH',
      message: expect.stringContaining('1700-abcdef01'),
    });
  });

  it('read-only open accepts Running without recovering it and refuses every write and seal', async () => {
    await (await LevelMarkerBackend.open(path, manifest)).close();
    const readOnly = await LevelMarkerBackend.openReadOnly(path);
    expect((await readOnly.manifest()).status).toBe('Running');
    await expect(readOnly.appendSnapshot(snap(1), hashOf(1))).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(readOnly.putDict({ slot: 0, dataClass: 'Quote', identifier: 'x' }, hashOf(1))).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(readOnly.seal('Ended')).rejects.toMatchObject({ code: 'CLOSED' });
    expect(await readOnly.scanSnapshots()).toEqual([]);
    await readOnly.close();
    const again = await LevelMarkerBackend.openReadOnly(path);
    expect((await again.manifest()).status).toBe('Running');
    await again.close();
  });

  it('refuses writes after seal and keeps the counts', async () => {
    const backend = await LevelMarkerBackend.open(path, manifest);
    await backend.seal('Ended');
    await expect(backend.appendSnapshot(snap(1), hashOf(1))).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(backend.appendHiFi(hifi(1), hashOf(1))).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(backend.appendGap({ fromMarkerSeq: 1, toMarkerSeq: 1, reason: 'Overflow' }, hashOf(1))).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(backend.putDict({ slot: 0, dataClass: 'Quote', identifier: 'x' }, hashOf(1))).rejects.toMatchObject({ code: 'CLOSED' });
    expect(await backend.manifest()).toMatchObject({ status: 'Ended', snapshotCount: 0, dictCount: 0 });
    await backend.close();
  });

  it('rejects a Running seal with the upstream message and stays writable', async () => {
    const backend = await LevelMarkerBackend.open(path, manifest);
    await expect(backend.seal('Running' as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining(path) });
    await backend.appendSnapshot(snap(1), hashOf(1));
    expect(await backend.seal('Ended')).toMatchObject({ status: 'Ended', snapshotCount: 1 });
    await backend.close();
  });

  it('counts an overwritten duplicate key, so the verifier sees a count mismatch', async () => {
    const backend = await LevelMarkerBackend.open(path, manifest);
    await backend.appendSnapshot(snap(1), hashOf(1));
    await backend.appendSnapshot(snap(1), hashOf(2));
    expect((await backend.scanSnapshots()).map((row) => row.hash[0])).toEqual([2]);
    expect((await backend.manifest()).snapshotCount).toBe(2);
    await backend.close();
  });

  it('reports a missing store as RUN_NOT_FOUND and a closed handle as CLOSED, naming the path', async () => {
    await expect(LevelMarkerBackend.openReadOnly(path)).rejects.toMatchObject({ code: 'RUN_NOT_FOUND', message: expect.stringContaining(path) });
    const backend = await LevelMarkerBackend.open(path, manifest);
    await backend.close();
    await expect(backend.manifest()).rejects.toMatchObject({ code: 'CLOSED', message: expect.stringContaining(path) });
    await expect(backend.scanDict()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('rejects a store without a store-format marker, or with a future one, as UNSUPPORTED_FORMAT naming it', async () => {
    await (await LevelMarkerBackend.open(path, manifest)).close();
    await withRaw((db) => db.del('store_format'));
    await expect(LevelMarkerBackend.open(path, manifest)).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT', message: expect.stringContaining(path) });
    await expect(LevelMarkerBackend.openReadOnly(path)).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
    await withRaw((db) => db.put('store_format', encodeRecord(2)));
    await expect(LevelMarkerBackend.open(path, manifest)).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT', message: expect.stringContaining(path) });
    await expect(LevelMarkerBackend.openReadOnly(path)).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
  });

  it('reports a damaged row as CORRUPTED naming the row kind and the store', async () => {
    const backend = await LevelMarkerBackend.open(path, manifest);
    await backend.appendSnapshot(snap(1), hashOf(1));
    await backend.close();
    await withRaw((db) => db.put('snapshot:0000000000000001', new Uint8Array([1, 2, 3])));
    const readOnly = await LevelMarkerBackend.openReadOnly(path);
    await expect(readOnly.scanSnapshots()).rejects.toMatchObject({ code: 'CORRUPTED', message: expect.stringMatching(/cursor snapshot/) });
    await expect(readOnly.scanSnapshots()).rejects.toThrow(path);
    await readOnly.close();
  });
});
