/**
 * Runs written before the manifest copy moved to @tapelog/core carry the `TLMC` copy this
 * backend has always written. Built here byte by byte, such a copy still serves listings, and
 * its runs read back whole (hashes checked) and recover as before.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { blake3, encodeManifest, type RunManifest, STORE_FORMAT_VERSION } from '@tapelog/core';
import { temporaryDirectory } from '@tapelog/test-support';
import { expect, test } from 'vitest';
import { createProvider, MANIFEST_COPY_FILE, runPath } from '../src/index.js';
import { appendEntries, INSTANCE, manifestFor } from './helpers.js';

/** `TLMC` · version 1 · store format u32 BE · BLAKE3(manifest) · manifest. */
function earlierLevelCopy(manifest: RunManifest): Buffer {
  const body = Buffer.from(encodeManifest(manifest));
  const format = Buffer.alloc(4);
  format.writeUInt32BE(STORE_FORMAT_VERSION, 0);
  return Buffer.concat([Buffer.from('TLMC'), Buffer.of(1), format, Buffer.from(blake3(body)), body]);
}

async function runWithEarlierCopy(seal: boolean): Promise<{ baseDir: string; location: string }> {
  const baseDir = temporaryDirectory('tapelog-level-copy-');
  const provider = createProvider({ baseDir }, { warn: () => {} });
  const store = await provider.openRun(manifestFor('run-1', 10n));
  await store.appendBatch(appendEntries(1, 40));
  const manifest = seal ? await store.seal('Ended') : await store.manifest();
  await store.close();
  const location = runPath(baseDir, INSTANCE, 'run-1');
  writeFileSync(join(location, MANIFEST_COPY_FILE), earlierLevelCopy(manifest));
  return { baseDir, location };
}

test('a sealed run with an earlier TLMC copy is listed from the copy alone and reads back whole', async () => {
  const { baseDir, location } = await runWithEarlierCopy(true);
  const warnings: string[] = [];
  const provider = createProvider({ baseDir }, { warn: (message) => warnings.push(message) });
  // Without CURRENT the LevelDB cannot be opened, so a listed run proves the copy served it.
  renameSync(join(location, 'CURRENT'), join(location, 'CURRENT.moved'));
  expect((await provider.listRuns(INSTANCE)).map((run) => [run.runId, run.status, run.highWatermark])).toEqual([['run-1', 'Ended', 40]]);
  expect(warnings).toEqual([]);
  renameSync(join(location, 'CURRENT.moved'), join(location, 'CURRENT'));
  const store = await provider.openSealed(INSTANCE, 'run-1');
  try {
    // Every read checks the entry hashes, so 40 entries back means 40 intact entries.
    expect((await store.scanRange(1, 1_000)).map((entry) => entry.seq)).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
  } finally {
    await store.close();
  }
});

test('a crashed run with an earlier TLMC copy is recovered with every entry', async () => {
  const { baseDir } = await runWithEarlierCopy(false);
  const provider = createProvider({ baseDir }, { warn: () => {} });
  expect((await provider.listRuns(INSTANCE)).map((run) => run.status)).toEqual(['Running']);
  const store = await provider.openForRecovery(INSTANCE, 'run-1');
  expect(await store.highWatermark()).toBe(40);
  await store.seal('CrashedRecovered');
  await store.close();
  expect((await provider.listRuns(INSTANCE)).map((run) => [run.status, run.highWatermark])).toEqual([['CrashedRecovered', 40]]);
});
