/**
 * Crash durability for real: a child process appends as fast as it can and reports every
 * acknowledged high-watermark; we SIGKILL it at random moments and check that recovery never
 * loses an acknowledged entry, that every entry reads back hash-valid, and that the run seals.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { temporaryDirectory } from '@tapelog/test-support';
import { expect, test } from 'vitest';
import { createProvider } from '../src/index.js';
import { INSTANCE } from './helpers.js';

const CHILD = fileURLToPath(new URL('./fixtures/append-until-killed.mjs', import.meta.url));
const BUILT = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const ITERATIONS = 24;

const directory = temporaryDirectory('tapelog-level-crash-', 'file');

/** Runs the child, kills it `delayMs` after its run is open, and returns the last hwm it reported. */
function appendUntilKilled(runId: string, batchSize: number, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, directory, INSTANCE, runId, String(batchSize)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (timer === undefined && output.startsWith('open\n')) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`child exited with ${code}/${signal} before it was killed: ${stderr}`));
      // Only complete lines were acknowledged; a torn last line is ignored.
      const lines = output
        .split('\n')
        .slice(0, -1)
        .filter((line) => line !== 'open');
      resolve(lines.length === 0 ? 0 : Number(lines[lines.length - 1]));
    });
  });
}

test(`${ITERATIONS} SIGKILLs at random moments never lose an acknowledged entry`, async () => {
  expect(existsSync(BUILT), 'build the package first (npx tsup): the child process imports dist/index.js').toBe(true);
  const provider = createProvider({ baseDir: directory });
  const reportedTotals: number[] = [];
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const runId = `run-${iteration}`;
    const batchSize = [1, 10, 100, 512][iteration % 4]!;
    // Spread the kill from "right after open" to a few hundred milliseconds of appending.
    const delayMs = Math.floor(Math.random() * 400);
    const reported = await appendUntilKilled(runId, batchSize, delayMs);
    reportedTotals.push(reported);

    const store = await provider.openForRecovery(INSTANCE, runId);
    const hwm = await store.highWatermark();
    expect(hwm, `iteration ${iteration}: recovered hwm ${hwm} < acknowledged ${reported}`).toBeGreaterThanOrEqual(reported);
    // Batches are atomic: the recovered hwm is a whole number of batches.
    expect(hwm % batchSize).toBe(0);
    for (let from = 1; from <= hwm; from += 4096) {
      const to = Math.min(hwm, from + 4095);
      const entries = await store.scanRange(from, to);
      expect(entries.length).toBe(to - from + 1);
      expect(entries[0]!.seq).toBe(from);
    }
    if (hwm > 0) expect(await store.lookup('client_order_id', `O-${hwm}`)).toBe(hwm);
    const sealed = await store.seal('CrashedRecovered');
    expect(sealed.status).toBe('CrashedRecovered');
    expect(sealed.highWatermark).toBe(hwm);
    await store.close();
  }
  const listed = await provider.listRuns(INSTANCE);
  expect(listed).toHaveLength(ITERATIONS);
  expect(listed.every((run) => run.status === 'CrashedRecovered')).toBe(true);
  // The test only means something if the kills landed while appends were in flight.
  expect(reportedTotals.filter((total) => total > 0).length).toBeGreaterThan(ITERATIONS / 2);
}, 120_000);
