/**
 * Standby writer threads: a thread started ahead of need serves the next run of its backend
 * module, a thread whose run ended cleanly serves the run after it (a failed one is replaced), a
 * module that cannot load is still reported by spawnWriter, and an idle standby never keeps a
 * process alive.
 */
import { newManifest, SimulatedClock, TapelogError } from '@tapelog/core';
import { expect, test } from 'vitest';
import { prewarmWriterThread, spawnWriter, standbyWriterThreadId } from '../dist/index.js';
import { CHILD_TIMEOUT_MS, runChildModule, TEST_BACKEND_MODULE } from './harness.js';
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
  // close resolves once the thread released the run and came back as the standby.
  expect(prewarmWriterThread(MEMORY_BACKEND)).toBe(false);
});

test('the thread of a cleanly closed run serves the next run, whose entries and chain are its own', async () => {
  prewarmWriterThread(MEMORY_BACKEND);
  const thread = standbyWriterThreadId(MEMORY_BACKEND);
  expect(thread).toBeGreaterThan(0);
  const manifests = [];
  for (const runId of ['run-reuse-1', 'run-reuse-2', 'run-reuse-3']) {
    const writer = await spawnWriter({
      backend: { module: MEMORY_BACKEND, options: {} },
      manifest: newManifest({ runId, instanceId: 'trader-001', startTsInit: 0n }),
      clock: new SimulatedClock(),
    });
    expect(standbyWriterThreadId(MEMORY_BACKEND)).toBeUndefined();
    for (let i = 1; i <= 5; i++) writer.submit(draft(BigInt(i)));
    manifests.push(await writer.close(RUN_ENDED));
    // The same thread, back and waiting; the writer that let it go refuses further use.
    expect(standbyWriterThreadId(MEMORY_BACKEND)).toBe(thread);
    expect(() => writer.submit(draft(6n))).toThrow();
    await writer.terminate();
    expect(standbyWriterThreadId(MEMORY_BACKEND)).toBe(thread);
  }
  for (const manifest of manifests) expect(manifest).toMatchObject({ status: 'Ended', highWatermark: 6 });
  // Identical entries in each run: the chain starts afresh per run, so the heads agree.
  expect(new Set(manifests.map((manifest) => manifest.chainHead)).size).toBe(1);
});

test('the thread of a run that halted is not reused: a fresh standby replaces it', async () => {
  prewarmWriterThread(TEST_BACKEND_MODULE);
  const thread = standbyWriterThreadId(TEST_BACKEND_MODULE);
  expect(thread).toBeGreaterThan(0);
  const control = new SharedArrayBuffer(16);
  Atomics.store(new Int32Array(control), 0, 1);
  const halts: unknown[] = [];
  const writer = await spawnWriter({
    backend: { module: TEST_BACKEND_MODULE, options: { control, failAppendWith: 'DISK' } },
    manifest: newManifest({ runId: 'run-reuse-halted', instanceId: 'trader-001', startTsInit: 0n }),
    clock: new SimulatedClock(),
    onHalt: (reason) => halts.push(reason),
  });
  writer.submit(draft(1n));
  await expect(writer.waitForDurable(1)).rejects.toSatisfy((error: unknown) => TapelogError.hasCode(error, 'HALTED'));
  expect(halts).toHaveLength(1);
  await writer.abandon().catch(() => undefined);
  await writer.terminate();
  // The halted thread exited; its exit started a fresh standby.
  const deadline = performance.now() + 10_000;
  while (standbyWriterThreadId(TEST_BACKEND_MODULE) === undefined && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  const replacement = standbyWriterThreadId(TEST_BACKEND_MODULE);
  expect(replacement).toBeGreaterThan(0);
  expect(replacement).not.toBe(thread);
});

test('a thread terminated while it ends its run is not handed on as a standby', async () => {
  prewarmWriterThread(MEMORY_BACKEND);
  const thread = standbyWriterThreadId(MEMORY_BACKEND);
  const writer = await spawnWriter({
    backend: { module: MEMORY_BACKEND, options: {} },
    manifest: newManifest({ runId: 'run-terminated-while-ending', instanceId: 'trader-001', startTsInit: 0n }),
    clock: new SimulatedClock(),
  });
  writer.submit(draft(1n));
  const abandoning = writer.abandon().catch(() => undefined);
  await writer.terminate();
  await abandoning;
  // Its exit starts a fresh standby; the terminated thread is never the one waiting.
  const deadline = performance.now() + 10_000;
  while (standbyWriterThreadId(MEMORY_BACKEND) === undefined && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(standbyWriterThreadId(MEMORY_BACKEND)).toBeGreaterThan(0);
  expect(standbyWriterThreadId(MEMORY_BACKEND)).not.toBe(thread);
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
  const { stdout, milliseconds } = await runChildModule(script);
  expect(stdout).toBe('');
  // The process ended on its own (the child run rejects on a timeout or a non-zero exit).
  expect(milliseconds).toBeLessThan(CHILD_TIMEOUT_MS);
});

test('prewarmWriterThread refuses a module that is not a non-empty string', () => {
  expect(() => prewarmWriterThread('')).toThrow(TypeError);
  expect(() => prewarmWriterThread(undefined as unknown as string)).toThrow(TypeError);
});
