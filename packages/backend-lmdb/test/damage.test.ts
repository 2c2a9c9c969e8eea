/**
 * Damaged LMDB files never reach a caller as a crash or a plausible answer: a changed byte in a
 * sealed run's data file (or in its seal digest) is CORRUPTED before LMDB maps it, and a crashed
 * run whose pages are garbage is quarantined or skipped by the isolated recovery sweep while the
 * sweeping process lives on.
 */
import { closeSync, fstatSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { recoverPredecessors } from '@tapelog/recovery';
import { afterEach, expect, test } from 'vitest';
import { createProvider, DATA_FILE, SEAL_DIGEST_FILE } from '../src/index.js';
import { entriesFrom, INSTANCE, manifestFor, rejectionOf, temporaryDirectory } from './helpers.js';

const BUILT = new URL('../dist/index.js', import.meta.url).href;
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function writtenRun(seal: boolean): Promise<{ baseDir: string; location: string }> {
  const directory = temporaryDirectory('tapelog-lmdb-damage-');
  cleanups.push(directory.remove);
  const provider = createProvider({ baseDir: directory.path }, { warn: () => {} });
  const store = await provider.openRun(manifestFor('run-1'));
  await store.appendBatch(entriesFrom(1, 300));
  if (seal) await store.seal('Ended');
  await store.close();
  return { baseDir: directory.path, location: provider.runPath(INSTANCE, 'run-1') };
}

function flipByte(path: string, offset: number): void {
  const bytes = readFileSync(path);
  bytes[offset] = bytes[offset]! ^ 0x5a;
  writeFileSync(path, bytes);
}

test('a sealed run whose data file changed after the seal is CORRUPTED to open, naming the run', async () => {
  const { baseDir, location } = await writtenRun(true);
  const provider = createProvider({ baseDir }, { warn: () => {} });
  // The undamaged run opens and reads.
  const intact = await provider.openSealed(INSTANCE, 'run-1');
  expect((await intact.scanRange(1, 300)).length).toBe(300);
  await intact.close();
  flipByte(join(location, DATA_FILE), 5000);
  const error = await rejectionOf(provider.openSealed(INSTANCE, 'run-1'));
  expect(error.code).toBe('CORRUPTED');
  expect(error.message).toContain(location);
  // The listing still reports the run as sealed (from its manifest copy): nothing is lost or rewritten.
  expect((await provider.listRuns(INSTANCE)).map((run) => run.status)).toEqual(['Ended']);
});

test('a damaged seal digest makes the sealed run CORRUPTED to open', async () => {
  const { baseDir, location } = await writtenRun(true);
  flipByte(join(location, SEAL_DIGEST_FILE), 20);
  const error = await rejectionOf(createProvider({ baseDir }, { warn: () => {} }).openSealed(INSTANCE, 'run-1'));
  expect(error.code).toBe('CORRUPTED');
});

test('a crashed run whose pages are garbage is quarantined or skipped by the isolated sweep, and the sweeping process lives on', async () => {
  const { baseDir, location } = await writtenRun(false);
  // Keep LMDB's two meta pages, overwrite every other page with bytes that are no valid page.
  const handle = openSync(join(location, DATA_FILE), 'r+');
  const size = fstatSync(handle).size;
  const garbage = Buffer.alloc(size - 8192);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 131 + 7) & 0xff;
  writeSync(handle, garbage, 0, garbage.length, 8192);
  closeSync(handle);
  const provider = createProvider({ baseDir }, { warn: () => {} });
  const logged: string[] = [];
  const outcome = await recoverPredecessors(provider, INSTANCE, {
    logger: (line) => logged.push(line),
    isolation: { backend: { module: BUILT, options: { baseDir } } },
  });
  const quarantined = outcome.recovered.filter((run) => run.status === 'Quarantined').map((run) => run.runId);
  const skipped = outcome.skipped.map((run) => run.runId);
  expect([...quarantined, ...skipped], logged.join('\n')).toEqual(['run-1']);
  expect(outcome.recovered.some((run) => run.status === 'CrashedRecovered' || run.status === 'Ended')).toBe(false);
}, 60_000);
