/**
 * The inline writer runs the writer loop on its caller's thread: while it holds entries to commit
 * it keeps the process alive, and once idle it must not (a process that forgot to close its
 * writer still ends, as with the worker writer's unref'd standby).
 */
import { expect, test } from 'vitest';
import { CHILD_TIMEOUT_MS, runChildModule } from './harness.js';

test('an idle inline writer does not keep a process alive, and one holding a batch commits it first', async () => {
  const script = `
    const { createInlineWriter } = await import('${new URL('../dist/index.js', import.meta.url).href}');
    const { createProvider } = await import('@tapelog/backend-memory');
    const { SimulatedClock, newManifest } = await import('@tapelog/core');
    const store = await createProvider({}).openRun(newManifest({ runId: 'idle-run', instanceId: 'trader-001', startTsInit: 0n }));
    // A batch latency far beyond the entry count: the entry waits for its deadline.
    const writer = await createInlineWriter({ store, clock: new SimulatedClock(), config: { maxBatchEntries: 100, maxBatchLatencyMs: 300 } });
    const seq = writer.submit({ headers: {}, topic: 'exec.command', payloadType: 'SubmitOrder', payload: new Uint8Array([1]), tsInit: 1n, indexKeys: [] });
    process.on('exit', () => process.stdout.write('exit hwm ' + writer.highWatermark + ' of ' + seq));
  `;
  const { stdout, milliseconds } = await runChildModule(script);
  // The process waited for the batch deadline, committed the entry, then ended on its own.
  expect(stdout).toBe('exit hwm 1 of 1');
  expect(milliseconds).toBeLessThan(CHILD_TIMEOUT_MS);
});
