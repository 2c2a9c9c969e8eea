/**
 * Standby writer threads: a thread started ahead of need serves the next run of its backend
 * module, a replacement is ready once that run ends, a module that cannot load is still reported
 * by spawnWriter, and an idle standby never keeps a process alive.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { newManifest, SimulatedClock, TapelogError } from '@tapelog/core';
import { expect, test } from 'vitest';
import { prewarmWriterThread, spawnWriter } from '../dist/index.js';
import { draft, RUN_ENDED } from './writer-suite.js';

const MEMORY_BACKEND = '@tapelog/backend-memory';

test('a standby thread serves the next run of its module, and a replacement is ready once that run ends', async () => {
  expect(prewarmWriterThread(MEMORY_BACKEND)).toBe(true);
  // One is waiting: asking again starts nothing.
  expect(prewarmWriterThread(MEMORY_BACKEND)).toBe(false);
  const writer = await spawnWriter({
    backend: { module: MEMORY_BACKEND, options: {} },
    manifest: newManifest({ runId: 'run-standby', instanceId: 'trader-001', startTsInit: 0n }),
    clock: new SimulatedClock(),
  });
  // The standby was taken: the next prewarm would start one, but none is started while the run is open.
  for (let i = 1; i <= 3; i++) writer.submit(draft(BigInt(i)));
  const manifest = await writer.close(RUN_ENDED);
  expect(manifest).toMatchObject({ status: 'Ended', highWatermark: 4 });
  expect(writer.commitStatistics().entries).toBe(4);
  // close resolves after the thread exited, and its exit started the replacement.
  expect(prewarmWriterThread(MEMORY_BACKEND)).toBe(false);
});

test('a standby for a module that cannot be imported leaves the error to spawnWriter', async () => {
  const module = '@tapelog/no-such-backend-for-standby';
  expect(prewarmWriterThread(module)).toBe(true);
  const attempt = spawnWriter({
    backend: { module, options: {} },
    manifest: newManifest({ runId: 'run-missing', instanceId: 'trader-001', startTsInit: 0n }),
    clock: new SimulatedClock(),
  });
  const error = await attempt.catch((caught: unknown) => caught);
  expect(TapelogError.hasCode(error, 'WRITER_START_FAILED')).toBe(true);
  expect((error as Error).message).toContain(module);
});

test('an idle standby thread does not keep a process alive', async () => {
  const script = `import('${new URL('../dist/index.js', import.meta.url).href}').then((writer) => { if (!writer.prewarmWriterThread('${MEMORY_BACKEND}')) process.exit(3); });`;
  const started = performance.now();
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: new URL('..', import.meta.url),
    timeout: 20_000,
  });
  expect(stdout).toBe('');
  // The process ended on its own (execFile rejects on a timeout or a non-zero exit).
  expect(performance.now() - started).toBeLessThan(20_000);
});

test('prewarmWriterThread refuses a module that is not a non-empty string', () => {
  expect(() => prewarmWriterThread('')).toThrow(TypeError);
  expect(() => prewarmWriterThread(undefined as unknown as string)).toThrow(TypeError);
});
