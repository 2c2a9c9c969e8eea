/**
 * Fail-stop through the whole stack: when the event store halts (here a disk that fills up after
 * 2,000 entries), the kernel stops trading at once, leaves the run for the next boot's recovery,
 * and reports what was made durable.
 */
import { createProvider as createMemoryProvider } from '@tapelog/backend-memory';
import { diskError, type EventStoreProvider } from '@tapelog/core';
import { temporaryDirectory } from '@tapelog/test-support';
import { describe, expect, it } from 'vitest';
import { runKernel } from '../src/run-kernel.js';
import { memoryProviderAppendingWith } from './appending-provider.js';

/** A memory provider whose stores fail every append once `limit` entries are stored. */
function fillingDisk(limit: number): EventStoreProvider {
  return memoryProviderAppendingWith((store) => async (entries) => {
    if ((await store.highWatermark()) + entries.length > limit) throw diskError('ENOSPC: no space left on device');
    return store.appendBatch(entries);
  });
}

describe('an event-store halt', () => {
  it('stops the kernel at once, leaves the run Running and reports the durable entries', async () => {
    const provider = fillingDisk(2_000);
    const duration = 120_000_000_000n;
    const summary = await runKernel({ duration, baseDir: temporaryDirectory(), openBackend: () => ({ provider }), verify: false });
    expect(summary.status).toBe('Running');
    expect(summary.haltReason).toMatch(/BackendDisk.*ENOSPC/);
    expect(summary.entries).toBeGreaterThan(1_000);
    expect(summary.entries).toBeLessThanOrEqual(2_000);
    // Trading stopped at the halt, long before the requested duration.
    expect(summary.simulatedNanoseconds).toBeLessThan(duration / 2n);
    const [run] = await provider.listRuns('kernel-001');
    expect(run?.status).toBe('Running');
  });

  it('trades the whole duration when nothing halts', async () => {
    const summary = await runKernel({
      duration: 20_000_000_000n,
      baseDir: temporaryDirectory(),
      openBackend: () => ({ provider: createMemoryProvider() }),
      verify: false,
    });
    expect(summary.status).toBe('Ended');
    expect(summary.simulatedNanoseconds).toBeGreaterThanOrEqual(20_000_000_000n);
    expect(summary.haltReason).toBeUndefined();
  });
});
