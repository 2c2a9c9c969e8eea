/**
 * Crash durability for real: a child process appends as fast as it can and reports every
 * acknowledged high-watermark; it is SIGKILLed at random moments, and recovery must keep every
 * acknowledged entry, hash-valid with its index row, and seal the run CrashedRecovered.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { createProvider } from '../src/index.js';
import { INSTANCE, temporaryDirectory } from './helpers.js';

const CHILD = fileURLToPath(new URL('./fixtures/append-until-killed.mjs', import.meta.url));
const BUILT = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const KILLS = 20;

const directory = temporaryDirectory('tapelog-lmdb-crash-');
afterAll(() => directory.remove());

/** Runs the child, kills it `delayMs` after its run is open, and returns the last hwm it reported. */
function appendUntilKilled(runId: string, batchSize: number, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, directory.path, INSTANCE, runId, String(batchSize)], { stdio: ['ignore', 'pipe', 'pipe'] });
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
      const lines = output.split('\n').slice(0, -1).filter((line) => line !== 'open');
      resolve(lines.length === 0 ? 0 : Number(lines[lines.length - 1]));
    });
  });
}

test(`${KILLS} SIGKILLs at random moments never lose an acknowledged entry`, async () => {
  expect(existsSync(BUILT), 'build the package first (npx tsup): the child process imports dist/index.js').toBe(true);
  const provider = createProvider({ baseDir: directory.path });
  const reportedTotals: number[] = [];
  for (let kill = 0; kill < KILLS; kill++) {
    const runId = `run-${kill}`;
    const batchSize = [1, 10, 100, 512][kill % 4]!;
    const delayMs = Math.floor(Math.random() * 250);
    const reported = await appendUntilKilled(runId, batchSize, delayMs);
    reportedTotals.push(reported);

    const store = await provider.openForRecovery(INSTANCE, runId);
    const hwm = await store.highWatermark();
    expect(hwm, `kill ${kill}: recovered hwm ${hwm} < acknowledged ${reported}`).toBeGreaterThanOrEqual(reported);
    // Transactions are atomic: the recovered hwm is a whole number of batches.
    expect(hwm % batchSize).toBe(0);
    const entries = await store.scanRange(1, hwm);
    expect(entries.length).toBe(hwm);
    expect(entries.every((entry, i) => entry.seq === i + 1)).toBe(true);
    if (hwm > 0) expect(await store.lookup('client_order_id', `O-${hwm}`)).toBe(hwm);
    const sealed = await store.seal('CrashedRecovered');
    expect(sealed.status).toBe('CrashedRecovered');
    expect(sealed.highWatermark).toBe(hwm);
    await store.close();
  }
  const listed = await provider.listRuns(INSTANCE);
  expect(listed).toHaveLength(KILLS);
  expect(listed.every((run) => run.status === 'CrashedRecovered')).toBe(true);
  // The test only means something if the kills landed while appends were in flight.
  expect(reportedTotals.filter((total) => total > 0).length).toBeGreaterThan(KILLS / 2);
}, 120_000);
