/**
 * Failed-commit area (needs fault hooks): when a commit fails, the append rejects, the
 * high-watermark does not move and nothing of the batch is readable, now or after a restart.
 */

import { clientOrderId, entries, entry, INSTANCE, manifest, runWithEntries, seqs } from '../fixtures.js';
import { type ConformanceOptions, defineArea, defineCase, TrackedProvider } from '../harness.js';

export function failedCommitArea(options: ConformanceOptions): void {
  defineArea(options, 'failed commit', 'Failed commits', () => {
    defineCase(
      options,
      'a commit that fails acknowledges nothing: the append rejects, the hwm stays, no row of the batch is readable',
      async ({ expect, provider }) => {
        const store = await runWithEntries(provider, manifest('run-1'), 2);
        provider.inner.faults!.failNextCommit(INSTANCE, 'run-1');
        let acknowledged: unknown;
        try {
          acknowledged = await store.appendBatch([entry(3, 30, { keys: [clientOrderId('O-3')] }), entry(4)]);
        } catch {
          acknowledged = undefined;
        }
        expect(acknowledged, 'appendBatch resolved although its commit failed: an append may resolve only once its rows are durable').toBeUndefined();
        expect(await store.highWatermark(), 'the high-watermark moved although the commit failed: it may move only after a durable commit').toBe(2);
        expect((await store.manifest()).highWatermark, 'the manifest high-watermark moved although the commit failed').toBe(2);
        expect(seqs(await store.scanRange(1, 10)), 'rows of a failed commit are readable').toEqual([1, 2]);
        expect(await store.scanSeq(3), 'seq 3 of a failed commit is readable').toBeUndefined();
        expect(await store.lookup('client_order_id', 'O-3'), 'an index row of a failed commit is readable').toBeUndefined();
        expect(await store.appendBatch(entries(3, 4)), 'the next commit after a failed one must succeed').toBe(4);
      },
      ['faultInjection'],
    );

    defineCase(
      options,
      'after a failed commit and a restart, only acknowledged rows are there',
      async ({ expect, provider, options: suite }) => {
        const store = await runWithEntries(provider, manifest('run-1'), 2);
        provider.inner.faults!.failNextCommit(INSTANCE, 'run-1');
        await store.appendBatch(entries(3, 5)).catch(() => undefined);
        await store.close();
        expect(suite.reopen, 'a persistent backend must pass `reopen` to runConformance').toBeDefined();
        const next = new TrackedProvider(await suite.reopen!(provider.inner));
        try {
          const recovered = await next.openForRecovery(INSTANCE, 'run-1');
          expect(await recovered.highWatermark(), 'rows of a failed commit were found after a restart').toBe(2);
          expect(seqs(await recovered.scanRange(1, 10))).toEqual([1, 2]);
        } finally {
          await next.closeAll();
        }
      },
      ['faultInjection', 'persistent'],
    );
  });
}
