/**
 * What only the worker writer can show: a halt is visible to a main thread that never yields,
 * a thread crash becomes a halt and nothing hangs, and an open failure rejects spawnWriter.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { newManifest, SimulatedClock, TapelogError } from '@tapelog/core';
import { afterEach, expect, test } from 'vitest';
import { type HaltReason, SubmitError, spawnWriter } from '../dist/index.js';
import { GATE } from './fixtures/test-backend.mjs';
import { createHarness, eventually, TEST_BACKEND_MODULE, type WriterHarness } from './harness.js';
import { draft, RUN_ENDED } from './writer-suite.js';

const harnesses: WriterHarness[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.dispose();
});

test('a backend failure reaches the next submit of a main thread that never yields, and the callback fires there once', async () => {
  const harness = await createHarness('worker', { failAppendWith: 'DISK', config: { maxBatchEntries: 1 } });
  harnesses.push(harness);
  const { writer, halts } = harness;
  writer.submit(draft(1n));
  // A synchronous loop: no await, so no message from the thread can be delivered here.
  const deadline = Date.now() + 5000;
  let refused: unknown;
  while (Date.now() < deadline && refused === undefined) {
    try {
      writer.submit(draft(2n));
    } catch (error) {
      refused = error;
    }
  }
  expect(refused).toBeInstanceOf(SubmitError);
  expect((refused as SubmitError).code).toBe('CLOSED');
  expect((refused as SubmitError).message).toContain('ENOSPC');
  expect(halts).toEqual([{ kind: 'BackendDisk', message: 'ENOSPC: no space left on device' }]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(halts).toHaveLength(1);
});

test('a blocked submit wakes on a backend failure instead of waiting out the threshold', async () => {
  const harness = await createHarness('worker', {
    gateClosed: true,
    failAppendWith: 'CORRUPTED',
    config: { channelCapacity: 1, maxBatchEntries: 1, haltThresholdMs: 10_000 },
  });
  harnesses.push(harness);
  const { writer, halts } = harness;
  writer.submit(draft(1n));
  expect(await eventually(() => harness.appendCalls() === 1)).toBe(true);
  writer.submit(draft(2n));
  await new Promise((resolve) => setTimeout(resolve, 20));
  writer.submit(draft(3n));
  // The queue is full. Releasing the gate lets the thread's append fail while the next submit waits for room.
  harness.openGate();
  const start = performance.now();
  let error: unknown;
  try {
    for (let i = 0; i < 5; i++) writer.submit(draft(4n));
  } catch (caught) {
    error = caught;
  }
  expect(performance.now() - start).toBeLessThan(5000);
  expect(error).toBeInstanceOf(SubmitError);
  expect((error as SubmitError).code).toBe('CLOSED');
  expect(halts).toHaveLength(1);
  expect(halts[0]!.kind).toBe('BackendCorrupted');
});

test.each([
  ['EXIT', 'writer thread exited unexpectedly with code 7'],
  ['UNCAUGHT', 'injected uncaught error in the writer thread'],
] as const)(
  'a writer thread that dies (%s) becomes a BackendError halt; submit, waitForDurable and close fail instead of hanging',
  async (failure, message) => {
    const harness = await createHarness('worker', { failAppendWith: failure, config: { maxBatchEntries: 1 } });
    harnesses.push(harness);
    const { writer, halts } = harness;
    expect(writer.submit(draft(1n))).toBe(1);
    expect(await eventually(() => halts.length > 0, 5000)).toBe(true);
    expect(halts).toHaveLength(1);
    expect(halts[0]!.kind).toBe('BackendError');
    expect((halts[0] as { message: string }).message).toContain(message);
    expect(writer.halted).toBe(true);
    expect(() => writer.submit(draft(2n))).toThrow(SubmitError);
    await expect(writer.waitForDurable(1, { timeoutMs: 5000 })).rejects.toMatchObject({ code: 'HALTED' });
    await expect(writer.close(RUN_ENDED)).rejects.toMatchObject({ code: 'WRITER_DISCONNECTED' });
    expect(halts).toHaveLength(1);
  },
);

test('an open failure rejects spawnWriter with the backend error (CRASHED_PREDECESSOR)', async () => {
  const control = new SharedArrayBuffer(16);
  const attempt = spawnWriter({
    backend: { module: TEST_BACKEND_MODULE, options: { control, failOpen: 'CRASHED_PREDECESSOR' } },
    manifest: newManifest({ runId: 'run-x', instanceId: 'trader-001', startTsInit: 0n }),
    clock: new SimulatedClock(),
  });
  await expect(attempt).rejects.toMatchObject({ code: 'CRASHED_PREDECESSOR' });
});

test('a backend module that cannot be imported rejects spawnWriter with WRITER_START_FAILED naming it', async () => {
  const halts: HaltReason[] = [];
  const attempt = spawnWriter({
    backend: { module: '@tapelog/no-such-backend', options: {} },
    manifest: newManifest({ runId: 'run-y', instanceId: 'trader-001', startTsInit: 0n }),
    clock: new SimulatedClock(),
    onHalt: (reason) => halts.push(reason),
  });
  const error = await attempt.catch((caught: unknown) => caught);
  expect(TapelogError.hasCode(error, 'WRITER_START_FAILED')).toBe(true);
  expect((error as Error).message).toContain('@tapelog/no-such-backend');
  expect(halts).toEqual([]);
});

/** Runs one entry through a worker writer on `backend` and expects the run sealed Ended after it and RunEnded. */
async function expectOneEntryRun(backend: { module: string; options: unknown }, runId: string): Promise<void> {
  const writer = await spawnWriter({ backend, manifest: newManifest({ runId, instanceId: 'trader-001', startTsInit: 0n }), clock: new SimulatedClock() });
  writer.submit(draft(1n));
  const manifest = await writer.close(RUN_ENDED);
  expect(manifest).toMatchObject({ status: 'Ended', highWatermark: 2 });
}

test('the memory backend package works as a worker backend by name', async () => {
  await expectOneEntryRun({ module: '@tapelog/backend-memory', options: {} }, 'run-z');
});

test('a relative backend module path is taken from the working directory, not from the writer package', async () => {
  const module = './test/fixtures/test-backend.mjs';
  expect(existsSync(resolve(process.cwd(), module))).toBe(true);
  const control = new SharedArrayBuffer(16);
  Atomics.store(new Int32Array(control), GATE, 1);
  await expectOneEntryRun({ module, options: { control } }, 'run-relative');
});

test('a relative backend module path that does not exist from the working directory names the resolved file', async () => {
  const error = await spawnWriter({
    backend: { module: './no-such-backend.mjs', options: {} },
    manifest: newManifest({ runId: 'run-missing', instanceId: 'trader-001', startTsInit: 0n }),
    clock: new SimulatedClock(),
  }).catch((caught: unknown) => caught);
  expect(TapelogError.hasCode(error, 'WRITER_START_FAILED')).toBe(true);
  expect((error as Error).message).toContain(pathToFileURL(resolve(process.cwd(), 'no-such-backend.mjs')).href);
});
