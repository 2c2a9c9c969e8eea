/**
 * Invariant 5 through the whole stack: the same seed on the simulated clock writes the same log
 * (same chain head, so byte-identical entries), with the inline writer and with the worker-thread
 * writer, and a different seed does not.
 */

import { temporaryDirectory } from '@tapelog/test-support';
import { describe, expect, it } from 'vitest';
import { type RunKernelOptions, runKernel } from '../src/run-kernel.js';

const run = (options: RunKernelOptions) => runKernel({ duration: 15_000_000_000n, instruments: 3, ...options, baseDir: temporaryDirectory() });

describe('determinism of the captured log', () => {
  for (const writer of ['inline', 'worker'] as const) {
    it(`gives the same chain head for the same seed with the ${writer} writer`, async () => {
      const first = await run({ seed: 17n, writer });
      const second = await run({ seed: 17n, writer });
      expect(first.status).toBe('Ended');
      expect(first.entries).toBeGreaterThan(1_000);
      expect(first.verify?.clean).toBe(true);
      expect(second.entries).toBe(first.entries);
      expect(second.chainHead).toBe(first.chainHead);
      expect(second.runId).not.toBe(first.runId);
    });
  }

  it('gives the same log whichever writer wrote it, and another log for another seed', async () => {
    const inline = await run({ seed: 23n, writer: 'inline' });
    const worker = await run({ seed: 23n, writer: 'worker' });
    const other = await run({ seed: 24n, writer: 'inline' });
    expect(worker.chainHead).toBe(inline.chainHead);
    expect(other.chainHead).not.toBe(inline.chainHead);
  });
});
