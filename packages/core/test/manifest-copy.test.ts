/** The manifest copy beside a run: one layout written, every layout found on disk read, anything in doubt ignored. */
import { describe, expect, test } from 'vitest';
import { decodeManifestCopy, encodeManifestCopy, instanceDirectory, runDirectory, runIdOfDirectoryName } from '../src/backend/index.js';
import { blake3, encodeManifest, newManifest, STORE_FORMAT_VERSION, sealedManifest } from '../src/index.js';

const manifest = sealedManifest(newManifest({ runId: 'run-1', instanceId: 'trader-001', startTsInit: 1_700_000_000n }), 'Ended', 42, 99n, 'ab'.repeat(32));

/** The `TLMC` layout, built byte by byte as the LevelDB backend has written it since its first release. */
function headeredCopy(storeFormat = STORE_FORMAT_VERSION): Buffer {
  const body = Buffer.from(encodeManifest(manifest));
  const format = Buffer.alloc(4);
  format.writeUInt32BE(storeFormat, 0);
  return Buffer.concat([Buffer.from('TLMC'), Buffer.of(1), format, Buffer.from(blake3(body)), body]);
}

/** The checksummed layout earlier LMDB runs carry: 16 bytes of BLAKE3(record) ‖ record (store format u32 BE ‖ manifest). */
function checksummedCopy(storeFormat = STORE_FORMAT_VERSION): Buffer {
  const format = Buffer.alloc(4);
  format.writeUInt32BE(storeFormat, 0);
  const record = Buffer.concat([format, Buffer.from(encodeManifest(manifest))]);
  return Buffer.concat([Buffer.from(blake3(record).subarray(0, 16)), record]);
}

describe('manifest copy', () => {
  test('writes the TLMC layout, byte for byte as earlier LevelDB runs carry it', () => {
    expect(encodeManifestCopy(manifest).equals(headeredCopy())).toBe(true);
    expect(decodeManifestCopy(encodeManifestCopy(manifest))).toEqual(manifest);
  });

  test('reads both layouts found on disk', () => {
    expect(decodeManifestCopy(headeredCopy())).toEqual(manifest);
    expect(decodeManifestCopy(checksummedCopy())).toEqual(manifest);
  });

  test('ignores a copy of either layout with a flipped bit, a truncation or another store format', () => {
    for (const copy of [headeredCopy(), checksummedCopy()]) {
      for (const position of [0, 5, 20, copy.length - 1]) {
        const damaged = Buffer.from(copy);
        damaged[position]! ^= 0x10;
        expect(decodeManifestCopy(damaged)).toBeUndefined();
      }
      expect(decodeManifestCopy(copy.subarray(0, copy.length - 1))).toBeUndefined();
      expect(decodeManifestCopy(copy.subarray(0, 8))).toBeUndefined();
    }
    expect(decodeManifestCopy(headeredCopy(STORE_FORMAT_VERSION + 1))).toBeUndefined();
    expect(decodeManifestCopy(checksummedCopy(STORE_FORMAT_VERSION + 1))).toBeUndefined();
    expect(decodeManifestCopy(new Uint8Array(0))).toBeUndefined();
  });
});

describe('run directories', () => {
  test('place a run under its instance with the backend suffix and refuse ids that escape the base directory', () => {
    expect(runDirectory('/base', 'trader-001', 'run-1', '.level')).toBe('/base/trader-001/run-1.level');
    expect(instanceDirectory('/base', 'trader-001')).toBe('/base/trader-001');
    expect(() => runDirectory('/base', 'trader-001', '../run-1', '.level')).toThrow();
    expect(() => instanceDirectory('/base', '..')).toThrow();
  });

  test('name the run of a directory, but not a sibling with another suffix', () => {
    expect(runIdOfDirectoryName('run-1.level', '.level', ['.markers.level'])).toBe('run-1');
    expect(runIdOfDirectoryName('run-1.markers.level', '.level', ['.markers.level'])).toBeUndefined();
    expect(runIdOfDirectoryName('.level', '.level')).toBeUndefined();
    expect(runIdOfDirectoryName('run-1.lmdb', '.level')).toBeUndefined();
  });
});
