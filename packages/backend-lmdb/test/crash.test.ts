/**
 * Crash durability for real, 20 times: the conformance suite's append child (built from this
 * package) appends as fast as it can and reports every acknowledged high-watermark; it is
 * SIGKILLed at random moments, and recovery must keep every acknowledged entry, hash-valid with
 * its index row, and seal the run CrashedRecovered.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { createProvider } from '../src/index.js';
import { INSTANCE, temporaryDirectory } from './helpers.js';

const BUILT = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const APPEND_CHILD = join(dirname(createRequire(import.meta.url).resolve('@tapelog/conformance/package.json')), 'dist', 'child', 'append-child.js');
const KILLS = 20;

const directory = temporaryDirectory('tapelog-lmdb-crash-');
afterAll(() => directory.remove());

/** Starts the child, kills it `delayMs` after its run is open, and resolves to the last hwm it acknowledged. */
function acknowledgedBeforeKill(runId: string, batchSize: number, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = { module: BUILT, options: { baseDir: directory.path }, instanceId: INSTANCE, runId, batchSize, batches: 0 };
    const child = spawn(process.execPath, [APPEND_CHILD, JSON.stringify(request)], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    let acks = '';
    let stderr = '';
    (child.stdio[3] as Readable).setEncoding('utf8').on('data', (chunk: string) => {
      if (acks === '' && chunk.startsWith('open\n')) setTimeout(() => child.kill('SIGKILL'), delayMs);
      acks += chunk;
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`child exited with ${code}/${signal} before it was killed: ${stderr}`));
      // Only complete lines were acknowledged; a torn last line is ignored.
      const hwms = acks
        .split('\n')
        .slice(0, -1)
        .filter((line) => line.startsWith('ack '))
        .map((line) => Number(line.slice(4)));
      resolve(hwms.at(-1) ?? 0);
    });
  });
}

test(`${KILLS} SIGKILLs at random moments never lose an acknowledged entry`, async () => {
  expect(existsSync(BUILT), 'build the package first (npx tsup): the child process imports dist/index.js').toBe(true);
  const provider = createProvider({ baseDir: directory.path });
  const acknowledged: number[] = [];
  for (let kill = 0; kill < KILLS; kill++) {
    const runId = `run-${kill}`;
    const batchSize = [1, 10, 100, 512][kill % 4]!;
    const reported = await acknowledgedBeforeKill(runId, batchSize, Math.floor(Math.random() * 250));
    acknowledged.push(reported);

    const store = await provider.openForRecovery(INSTANCE, runId);
    const hwm = await store.highWatermark();
    expect(hwm, `kill ${kill}: recovered hwm ${hwm} < acknowledged ${reported}`).toBeGreaterThanOrEqual(reported);
    // Transactions are atomic: the recovered hwm is a whole number of batches.
    expect(hwm % batchSize).toBe(0);
    const entries = await store.scanRange(1, hwm);
    expect(entries.map((entry) => entry.seq)).toEqual(Array.from({ length: hwm }, (_, i) => i + 1));
    if (hwm > 0) expect(await store.lookup('client_order_id', `O-${hwm}`)).toBe(hwm);
    const sealed = await store.seal('CrashedRecovered');
    expect([sealed.status, sealed.highWatermark]).toEqual(['CrashedRecovered', hwm]);
    await store.close();
  }
  const listed = await provider.listRuns(INSTANCE);
  expect(listed.map((run) => run.status)).toEqual(Array.from({ length: KILLS }, () => 'CrashedRecovered'));
  // The test only means something if the kills landed while appends were in flight.
  expect(acknowledged.filter((total) => total > 0).length).toBeGreaterThan(KILLS / 2);
}, 120_000);
