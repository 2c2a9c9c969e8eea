/** Which local backend a store argument or run path names: LMDB explicitly, by its run suffix, or by what a directory holds. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { parseRunPath, storeOfRun } from '../src/run-path.js';
import { lmdbBaseDirOf } from '../src/store-layout.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** A base directory whose instance `i` holds directories with these names. */
function storeWith(...names: string[]): string {
  const baseDir = mkdtempSync(join(tmpdir(), 'tapelog-cli-layout-'));
  directories.push(baseDir);
  for (const name of names) mkdirSync(join(baseDir, 'i', name), { recursive: true });
  return baseDir;
}

test('a run path ending in .lmdb is an LMDB run, opened through the lmdb: store of its base directory', () => {
  const coordinates = parseRunPath('/data/fast/trader-001/1000-abcd1234.lmdb/');
  expect(coordinates).toEqual({
    path: '/data/fast/trader-001/1000-abcd1234.lmdb',
    baseDir: '/data/fast',
    instanceId: 'trader-001',
    runId: '1000-abcd1234',
    backend: 'lmdb',
  });
  expect(storeOfRun(coordinates)).toBe('lmdb:/data/fast');
  expect(storeOfRun(parseRunPath('/data/slow/trader-001/1000-abcd1234.level'))).toBe('/data/slow');
});

test('lmdb:<dir> names LMDB; a directory is LMDB only when it holds LMDB runs and no LevelDB run', () => {
  expect(lmdbBaseDirOf('lmdb:/anywhere')).toBe('/anywhere');
  const lmdbOnly = storeWith('1-a.lmdb', '2-b.lmdb', '1-a.markers.level', 'blobs');
  expect(lmdbBaseDirOf(lmdbOnly)).toBe(lmdbOnly);
  expect(lmdbBaseDirOf(storeWith('1-a.lmdb', '2-b.level'))).toBeUndefined();
  expect(lmdbBaseDirOf(storeWith('1-a.level'))).toBeUndefined();
  expect(lmdbBaseDirOf(storeWith())).toBeUndefined();
  expect(lmdbBaseDirOf(join(tmpdir(), 'tapelog-cli-layout-missing'))).toBeUndefined();
});
