/**
 * Listing a run whose writer was killed with SIGKILL only looks: every file of the run stays
 * byte-identical (LevelDB would replay the killed writer's log on open), and the run is listed
 * as Running, with or without its manifest copy.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { temporaryDirectory } from '@tapelog/test-support';
import { expect, test } from 'vitest';
import { createProvider, MANIFEST_COPY_FILE, runPath } from '../src/index.js';
import { INSTANCE } from './helpers.js';

const CHILD = fileURLToPath(new URL('./fixtures/append-until-killed.mjs', import.meta.url));
const KILL_AFTER_BATCHES = 20;

/** Runs the child until it has acknowledged `KILL_AFTER_BATCHES` batches, then SIGKILLs it. */
function appendThenKill(directory: string, runId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, directory, INSTANCE, runId, '10'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let lines = 0;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      lines += chunk.split('\n').length - 1;
      if (lines > KILL_AFTER_BATCHES) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited with ${code}/${signal} before it was killed`))));
  });
}

/** Every file of `location` by name, with the SHA-256 of its bytes. */
function fileHashes(location: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const name of readdirSync(location).sort())
    hashes[name] = createHash('sha256')
      .update(readFileSync(join(location, name)))
      .digest('hex');
  return hashes;
}

test.each([
  ['with its Running manifest copy', false],
  ['without a manifest copy (killed before it was written)', true],
])('listing a SIGKILLed run %s leaves every file byte-identical and lists it Running', async (_case, removeCopy) => {
  const directory = temporaryDirectory('tapelog-level-killed-');
  await appendThenKill(directory, 'run-killed');
  const location = runPath(directory, INSTANCE, 'run-killed');
  if (removeCopy) rmSync(join(location, MANIFEST_COPY_FILE));
  const before = fileHashes(location);
  expect(Object.keys(before).some((name) => name.endsWith('.log'))).toBe(true);

  const warnings: string[] = [];
  const provider = createProvider({ baseDir: directory }, { warn: (message) => warnings.push(message) });
  const runs = await provider.listRuns(INSTANCE);
  expect(runs.map((run) => [run.runId, run.instanceId, run.status, run.startTsInit])).toEqual([['run-killed', INSTANCE, 'Running', 1n]]);
  expect(warnings).toEqual([]);
  expect(fileHashes(location)).toEqual(before);

  // The run is still whole for the recovery that follows the listing.
  const recovered = await provider.openForRecovery(INSTANCE, 'run-killed');
  expect(await recovered.highWatermark()).toBeGreaterThanOrEqual(KILL_AFTER_BATCHES * 10);
  await recovered.close();
});
