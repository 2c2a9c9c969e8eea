/**
 * The LevelDB marker store's manifest row carries a checksum: a flipped byte anywhere in it is
 * CORRUPTED at open, never a manifest that decodes to something else; rows written before the
 * checksum are still read. The verifier checks that the store belongs to the run it is given.
 */
import { TapelogError } from '@tapelog/core';
import { newMarkerManifest, verifyMarkers } from '@tapelog/markers';
import { encodeMarkerManifest } from '@tapelog/markers/store';
import { temporaryDirectory } from '@tapelog/test-support';
import { ClassicLevel } from 'classic-level';
import { beforeEach, describe, expect, test } from 'vitest';
import { LevelMarkerBackend, markersPath } from '../src/index.js';
import { decodeManifestRow, encodeManifestRow } from '../src/manifest-row.js';

const manifest = newMarkerManifest('1700-abcdef01', ['Quote'], false);
let dir: string;
let path: string;

beforeEach(async () => {
  dir = temporaryDirectory('tapelog-markers-manifest-');
  path = markersPath(dir, 'trader-1', manifest.runId);
  const backend = await LevelMarkerBackend.open(path, manifest);
  await backend.seal('Ended');
  await backend.close();
});

async function editManifestRow(edit: (row: Uint8Array) => Uint8Array): Promise<void> {
  const db = new ClassicLevel<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view' });
  await db.open();
  try {
    await db.put('manifest', edit(Uint8Array.from((await db.get('manifest'))!)));
  } finally {
    await db.close();
  }
}

async function openError(): Promise<unknown> {
  try {
    await (await LevelMarkerBackend.openReadOnly(path)).close();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('marker manifest row', () => {
  test('every single-byte flip of the row, the highFidelity flag and the run id included, fails to decode as CORRUPTED', () => {
    const original = encodeManifestRow({ ...manifest, status: 'Ended' });
    expect(decodeManifestRow(original, path)).toEqual({ ...manifest, status: 'Ended' });
    for (let at = 0; at < original.length; at++) {
      for (const xor of [0x01, 0x21, 0x80]) {
        const row = Uint8Array.from(original);
        row[at] = row[at]! ^ xor;
        let caught: unknown;
        try {
          decodeManifestRow(row, path);
        } catch (error) {
          caught = error;
        }
        expect(TapelogError.hasCode(caught, 'CORRUPTED'), `byte ${at} xor ${xor}`).toBe(true);
      }
    }
  });

  test('the store keeps the checksummed row; one flipped byte in it makes the open CORRUPTED, naming the store', async () => {
    let original: Uint8Array = new Uint8Array();
    await editManifestRow((row) => {
      original = row;
      expect(decodeManifestRow(row, path).runId).toBe(manifest.runId);
      const flipped = Uint8Array.from(row);
      flipped[flipped.length - 3] = flipped[flipped.length - 3]! ^ 0x01;
      return flipped;
    });
    const error = await openError();
    expect(TapelogError.hasCode(error, 'CORRUPTED')).toBe(true);
    expect((error as Error).message).toContain(path);
    await editManifestRow(() => original);
    expect(await openError()).toBeUndefined();
  });

  test('a row written before the checksum (the bare record) still opens with its fields', async () => {
    await editManifestRow(() => encodeMarkerManifest({ ...manifest, status: 'Ended', highFidelity: true }));
    const backend = await LevelMarkerBackend.openReadOnly(path);
    expect(await backend.manifest()).toMatchObject({ runId: manifest.runId, status: 'Ended', highFidelity: true });
    await backend.close();
  });

  test('a store of another run is a RunMismatch finding when the expected run is given', async () => {
    const backend = await LevelMarkerBackend.openReadOnly(path);
    try {
      expect((await verifyMarkers(backend, { expectedRunId: '1700-other001' })).findings).toEqual([
        { kind: 'RunMismatch', manifestRunId: manifest.runId, expectedRunId: '1700-other001' },
      ]);
      expect((await verifyMarkers(backend, { expectedRunId: manifest.runId })).findings).toEqual([]);
      expect((await verifyMarkers(backend)).findings).toEqual([]);
    } finally {
      await backend.close();
    }
  });
});
