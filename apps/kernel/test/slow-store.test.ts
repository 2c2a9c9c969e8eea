/**
 * A slow disk in simulated time: appends that take longer than the writer's default halt
 * threshold (250 ms) slow the simulation down but never halt it, because simulated time waits for
 * the store; the summary reports the commits and their latency.
 */
import type { EventStoreProvider } from '@tapelog/core';
import { temporaryDirectory } from '@tapelog/test-support';
import { describe, expect, it } from 'vitest';
import { runKernel } from '../src/run-kernel.js';
import { memoryProviderAppendingWith } from './appending-provider.js';

const SLOW_APPEND_MS = 400;

/** A memory provider whose appends number `from` to `to` (counted per run) each take SLOW_APPEND_MS. */
function slowDisk(from: number, to: number): EventStoreProvider {
  return memoryProviderAppendingWith((store) => {
    let appends = 0;
    return async (entries) => {
      appends++;
      if (appends >= from && appends <= to) await new Promise((resolve) => setTimeout(resolve, SLOW_APPEND_MS));
      return store.appendBatch(entries);
    };
  });
}

describe('a slow disk in simulated time', () => {
  it('slows the run down without halting it, and the summary reports the slow commits', async () => {
    const provider = slowDisk(3, 6);
    // Snapshots every simulated second: their anchors wait behind the slow appends.
    const summary = await runKernel({
      duration: 5_000_000_000n,
      snapshotInterval: 1_000_000_000n,
      baseDir: temporaryDirectory(),
      openBackend: () => ({ provider }),
      verify: false,
    });
    expect(summary.haltReason).toBeUndefined();
    expect(summary.status).toBe('Ended');
    expect(summary.simulatedNanoseconds).toBeGreaterThanOrEqual(5_000_000_000n);
    expect(summary.commits).toBeGreaterThanOrEqual(6);
    expect(summary.largestBatch).toBeGreaterThan(0);
    expect(summary.commitLatencyP99Ms).toBeGreaterThanOrEqual(SLOW_APPEND_MS);
    expect(summary.commitLatencyP50Ms).toBeLessThanOrEqual(summary.commitLatencyP99Ms);
  }, 60_000);
});
