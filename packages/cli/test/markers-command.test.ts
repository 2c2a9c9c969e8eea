/** `tapelog markers verify` through the built binary, on a real LevelDB marker sidecar. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSubmitCounter, DataMarkerExtractorRegistry, openMarkerSidecar } from '@tapelog/markers';
import { levelMarkerStore, markersPath } from '@tapelog/markers-level';
import { temporaryDirectory } from '@tapelog/test-support';
import { beforeAll, expect, test } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
let baseDir: string;
let storePath: string;

function tapelog(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  baseDir = temporaryDirectory('tapelog-cli-markers-', 'file');
  const quiet = { warn: () => {}, error: () => {} };
  const sidecar = await openMarkerSidecar({
    runId: '1000-aaaaaaaa',
    config: {},
    store: levelMarkerStore(baseDir, 'trader-001'),
    registry: new DataMarkerExtractorRegistry(),
    submitCounter: createSubmitCounter(0),
    logger: quiet,
  });
  await sidecar.close();
  storePath = markersPath(baseDir, 'trader-001', '1000-aaaaaaaa');
});

test('a clean marker sidecar verifies with exit 0', () => {
  const result = tapelog(['markers', 'verify', storePath]);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^markers=clean path=.* run_id=1000-aaaaaaaa status=Ended/);
  const json = JSON.parse(tapelog(['markers', 'verify', storePath, '--json']).stdout) as { verdict: string; exitCode: number };
  expect(json).toMatchObject({ verdict: 'clean', exitCode: 0 });
});

test('a missing marker store exits 2 with the reason on stderr', () => {
  const result = tapelog(['markers', 'verify', join(baseDir, 'missing.markers.level')]);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain('no marker store');
});

test('a run directory given instead of its marker store exits 2 and names the sidecar path', () => {
  const runPath = join(baseDir, 'trader-001', '1000-aaaaaaaa.level');
  const withSidecar = tapelog(['markers', 'verify', runPath]);
  expect(withSidecar.code).toBe(2);
  expect(withSidecar.stderr).toContain('is a run directory, not a marker store');
  expect(withSidecar.stderr).toContain(storePath);
  const withoutSidecar = tapelog(['markers', 'verify', join(baseDir, 'trader-001', '2000-bbbbbbbb.level')]);
  expect(withoutSidecar.code).toBe(2);
  expect(withoutSidecar.stderr).toContain('this run has no marker store');
});
