/** listRuns: the manifest-copy fast path, its fallbacks to the LevelDB, and the skip/fail policy. */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STORE_FORMAT_VERSION } from '@tapelog/core';
import { readManifestCopy, writeManifestCopy } from '@tapelog/core/backend';
import { temporaryDirectory } from '@tapelog/test-support';
import { ClassicLevel } from 'classic-level';
import { beforeEach, expect, test } from 'vitest';
import { createProvider, type LevelProvider, runPath } from '../src/index.js';
import { appendEntries, INSTANCE, manifestFor, rejectionOf } from './helpers.js';

let directory: string;
let provider: LevelProvider;
let warnings: string[];

beforeEach(() => {
  directory = temporaryDirectory('tapelog-level-');
  warnings = [];
  provider = createProvider({ baseDir: directory }, { warn: (message) => warnings.push(message) });
});

async function sealedRun(runId: string, startTsInit: bigint, entries = 2): Promise<void> {
  const store = await provider.openRun(manifestFor(runId, startTsInit));
  if (entries > 0) await store.appendBatch(appendEntries(1, entries));
  await store.seal('Ended');
  await store.close();
}

test('lists every run sorted by startTsInit, ignoring marker sidecars and stray files', async () => {
  await sealedRun('run-c', 30n);
  await sealedRun('run-a', 10n);
  await sealedRun('run-b', 20n);
  mkdirSync(join(directory, INSTANCE, 'run-a.markers.level'));
  writeFileSync(join(directory, INSTANCE, 'notes.txt'), 'not a run');
  const runs = await provider.listRuns(INSTANCE);
  expect(runs.map((run) => run.runId)).toEqual(['run-a', 'run-b', 'run-c']);
  expect(runs.map((run) => run.status)).toEqual(['Ended', 'Ended', 'Ended']);
  expect(runs[0]!.highWatermark).toBe(2);
  expect(warnings).toEqual([]);
  expect(await provider.listRuns('nobody')).toEqual([]);
});

test('a sealed run is listed from its manifest copy without opening the LevelDB', async () => {
  await sealedRun('run-a', 10n);
  // Without CURRENT the LevelDB cannot be opened, so a listed run proves the copy served it.
  rmSync(join(runPath(directory, INSTANCE, 'run-a'), 'CURRENT'));
  const runs = await provider.listRuns(INSTANCE);
  expect(runs.map((run) => [run.runId, run.status])).toEqual([['run-a', 'Ended']]);
});

test('a damaged copy is ignored and the LevelDB answers, leaving the copy as it was', async () => {
  await sealedRun('run-a', 10n);
  const copyPath = join(runPath(directory, INSTANCE, 'run-a'), 'tapelog-manifest');
  const bytes = readFileSync(copyPath);
  bytes[bytes.length - 3]! ^= 0x40;
  writeFileSync(copyPath, bytes);
  const runs = await provider.listRuns(INSTANCE);
  expect(runs.map((run) => [run.runId, run.status, run.highWatermark])).toEqual([['run-a', 'Ended', 2]]);
  expect(readFileSync(copyPath).equals(bytes)).toBe(true);
});

test('a stale Running copy of a sealed run is corrected from the LevelDB, not rewritten', async () => {
  await sealedRun('run-a', 10n);
  // What a crash between the seal commit and the copy write leaves behind.
  const location = runPath(directory, INSTANCE, 'run-a');
  await writeManifestCopy(location, manifestFor('run-a', 10n));
  const runs = await provider.listRuns(INSTANCE);
  expect(runs.map((run) => run.status)).toEqual(['Ended']);
  expect((await readManifestCopy(location))?.status).toBe('Running');
});

test('a run open right now is listed as Running from its copy', async () => {
  const store = await provider.openRun(manifestFor('run-live', 5n));
  await store.appendBatch(appendEntries(1, 3));
  const other = createProvider({ baseDir: directory }, { warn: (message) => warnings.push(message) });
  const runs = await other.listRuns(INSTANCE);
  expect(runs.map((run) => [run.runId, run.status, run.highWatermark])).toEqual([['run-live', 'Running', 0]]);
  expect(warnings).toEqual([]);
  await store.close();
});

test('a crashed Running run is listed from its LevelDB after log replay', async () => {
  const store = await provider.openRun(manifestFor('run-crashed', 5n));
  await store.appendBatch(appendEntries(1, 3));
  await store.close();
  const runs = await provider.listRuns(INSTANCE);
  expect(runs.map((run) => [run.runId, run.status])).toEqual([['run-crashed', 'Running']]);
});

test('runs that cannot be opened or have no manifest are skipped with a warning naming them', async () => {
  await sealedRun('run-good', 10n);
  await sealedRun('run-unopenable', 20n);
  const unopenable = runPath(directory, INSTANCE, 'run-unopenable');
  rmSync(join(unopenable, 'tapelog-manifest'));
  rmSync(join(unopenable, 'CURRENT'));
  await sealedRun('run-no-manifest', 30n);
  await provider.tamper.deleteManifest(INSTANCE, 'run-no-manifest');
  // A crash between creating the LevelDB and its first commit: neither marker nor manifest.
  const blank = new ClassicLevel(runPath(directory, INSTANCE, 'run-blank'));
  await blank.open();
  await blank.close();

  const runs = await provider.listRuns(INSTANCE);
  expect(runs.map((run) => run.runId)).toEqual(['run-good']);
  expect(warnings).toHaveLength(3);
  expect(warnings.some((warning) => warning.includes('run-unopenable.level'))).toBe(true);
  expect(warnings.some((warning) => warning.includes('run-no-manifest.level') && warning.includes('missing manifest'))).toBe(true);
  expect(warnings.some((warning) => warning.includes('run-blank.level'))).toBe(true);
});

test('an unsupported store format fails the whole listing, even beside healthy runs', async () => {
  await sealedRun('run-good', 10n);
  await sealedRun('run-future', 20n);
  await provider.tamper.setFormatMarker(INSTANCE, 'run-future', STORE_FORMAT_VERSION + 1);
  const future = await rejectionOf(provider.listRuns(INSTANCE));
  expect(future.code).toBe('UNSUPPORTED_FORMAT');
  expect(future.message).toContain('run-future.level');

  // Format 1 stored one row per entry; such a run is refused by name, never misread as blocks.
  await provider.tamper.setFormatMarker(INSTANCE, 'run-future', 1);
  const legacy = await rejectionOf(provider.listRuns(INSTANCE));
  expect(legacy).toMatchObject({ code: 'UNSUPPORTED_FORMAT', message: expect.stringContaining('run-future.level') });

  await provider.tamper.setFormatMarker(INSTANCE, 'run-future', undefined);
  const missing = await rejectionOf(provider.listRuns(INSTANCE));
  expect(missing.code).toBe('UNSUPPORTED_FORMAT');
  expect(missing.message).toContain('run-future.level');
});
