/**
 * Replay parity through the store: for five seeds, the cache restored from the sealed run
 * (anchored snapshot blob + tail, through @tapelog/recovery) equals the live cache at seal.
 */
import { createProvider } from '@tapelog/backend-level';
import { restoreFromSealedRun } from '@tapelog/recovery';
import { temporaryDirectory } from '@tapelog/test-support';
import { describe, expect, it } from 'vitest';
import { BlobDirectory } from '../src/blob-directory.js';
import { KernelCache } from '../src/cache.js';
import { runKernel } from '../src/run-kernel.js';

describe('replay parity from sealed runs', () => {
  for (const seed of [101n, 102n, 103n, 104n, 105n]) {
    it(`restores the live cache of seed ${seed} from snapshot and tail`, async () => {
      const baseDir = temporaryDirectory();
      let live: Uint8Array | undefined;
      // Even seeds write inline, odd ones through the worker: parity must not depend on the writer.
      const summary = await runKernel({
        seed,
        baseDir,
        duration: 20_000_000_000n,
        snapshotInterval: 6_000_000_000n,
        writer: seed % 2n === 0n ? 'inline' : 'worker',
        beforeSeal: (kernel) => {
          live = kernel.cache.snapshot();
        },
      });
      expect(summary.status).toBe('Ended');
      expect(summary.verify?.clean).toBe(true);
      const restored = new KernelCache();
      const blobs = new BlobDirectory(baseDir, 'kernel-001');
      const report = await restoreFromSealedRun(createProvider({ baseDir }), 'kernel-001', summary.runId, {
        loadSnapshot: (anchor) => blobs.read(anchor.blobRef),
        applySnapshot: (blob) => restored.restoreSnapshot(blob),
        applyEntry: (entry) => restored.applyEntry(entry),
      });
      expect(report.anchor).toBeDefined();
      expect(report.fromSeq).toBeGreaterThan(1);
      expect(report.applied).toBeGreaterThan(0);
      expect(restored.orderCount).toBeGreaterThan(0);
      expect(restored.snapshot()).toEqual(live);
      // The anchor covers exactly what its snapshot holds, though the blob was stored (and the
      // anchor enqueued) while trading went on: the entries up to its seq rebuild the blob.
      const anchor = report.anchor!;
      const store = await createProvider({ baseDir }).openSealed('kernel-001', summary.runId);
      try {
        expect(anchor.highWatermark).toBeLessThan(await store.highWatermark());
        const fromStart = new KernelCache();
        for (const entry of await store.scanRange(1, anchor.highWatermark)) fromStart.applyEntry(entry);
        expect(fromStart.snapshot()).toEqual(await blobs.read(anchor.blobRef));
      } finally {
        await store.close();
      }
    });
  }
});
