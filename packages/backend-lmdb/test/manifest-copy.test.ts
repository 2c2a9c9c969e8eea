/**
 * Runs written before the manifest copy had one layout for every backend: LMDB runs carry a
 * checksummed copy (16 bytes of BLAKE3(record) ‖ store format ‖ manifest). They still list,
 * verify and recover, and the copy is rewritten in today's layout when it next changes.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { blake3, encodeManifest, newManifest, type RunManifest, STORE_FORMAT_VERSION } from '@tapelog/core';
import { isCleanReport, recoverPredecessors, Verifier } from '@tapelog/recovery';
import { afterEach, expect, test } from 'vitest';
import { createProvider, DATA_FILE, MANIFEST_COPY_FILE } from '../src/index.js';
import { entriesFrom, INSTANCE, temporaryDirectory } from './helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** The copy as LMDB runs wrote it before the shared layout, built byte by byte. */
function earlierLmdbCopy(manifest: RunManifest): Buffer {
  const format = Buffer.alloc(4);
  format.writeUInt32BE(STORE_FORMAT_VERSION, 0);
  const record = Buffer.concat([format, Buffer.from(encodeManifest(manifest))]);
  return Buffer.concat([Buffer.from(blake3(record).subarray(0, 16)), record]);
}

/** A run of 50 entries, sealed or left Running as a crash leaves it, whose copy is in the earlier layout. */
async function runWithEarlierCopy(seal: boolean): Promise<{ baseDir: string; location: string }> {
  const directory = temporaryDirectory('tapelog-lmdb-copy-');
  cleanups.push(directory.remove);
  const provider = createProvider({ baseDir: directory.path }, { warn: () => {} });
  const store = await provider.openRun(newManifest({ runId: 'run-1', instanceId: INSTANCE, startTsInit: 1n }));
  await store.appendBatch(entriesFrom(1, 50));
  const manifest = seal ? await store.seal('Ended') : await store.manifest();
  await store.close();
  const location = provider.runPath(INSTANCE, 'run-1');
  writeFileSync(join(location, MANIFEST_COPY_FILE), earlierLmdbCopy(manifest));
  return { baseDir: directory.path, location };
}

test('a sealed run with an earlier LMDB copy is listed from that copy and verifies clean', async () => {
  const { baseDir, location } = await runWithEarlierCopy(true);
  const warnings: string[] = [];
  const provider = createProvider({ baseDir }, { warn: (message) => warnings.push(message) });
  // Without its data file the environment cannot answer, so a listed run proves the copy did.
  renameSync(join(location, DATA_FILE), join(location, 'moved.mdb'));
  const listed = await provider.listRuns(INSTANCE);
  expect(listed.map((run) => [run.runId, run.status, run.highWatermark])).toEqual([['run-1', 'Ended', 50]]);
  expect(warnings).toEqual([]);
  renameSync(join(location, 'moved.mdb'), join(location, DATA_FILE));
  const store = await provider.openSealed(INSTANCE, 'run-1');
  try {
    const report = await new Verifier(store).verify();
    expect(report.findings).toEqual([]);
    expect(isCleanReport(report)).toBe(true);
  } finally {
    await store.close();
  }
});

test('a crashed run with an earlier LMDB copy is listed Running, recovered with every entry, and its copy rewritten', async () => {
  const { baseDir, location } = await runWithEarlierCopy(false);
  const provider = createProvider({ baseDir }, { warn: () => {} });
  expect((await provider.listRuns(INSTANCE)).map((run) => [run.runId, run.status])).toEqual([['run-1', 'Running']]);
  const outcome = await recoverPredecessors(provider, INSTANCE, { logger: () => {} });
  expect(outcome.recovered.map((run) => [run.runId, run.status])).toEqual([['run-1', 'CrashedRecovered']]);
  const listed = await provider.listRuns(INSTANCE);
  expect(listed.map((run) => [run.status, run.highWatermark])).toEqual([['CrashedRecovered', 50]]);
  expect(readFileSync(join(location, MANIFEST_COPY_FILE)).subarray(0, 4).toString('latin1')).toBe('TLMC');
});
