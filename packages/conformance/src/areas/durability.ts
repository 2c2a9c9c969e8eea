/** Durability area (persistent backends): what a restarted process sees through a new provider instance. */
import type { EventStoreProvider } from '@tapelog/core';
import { clientOrderId, entry, expectTapelogError, INSTANCE, manifest, runWithEntries } from '../fixtures.js';
import { type CaseContext, type ConformanceOptions, defineArea, defineCase, TrackedProvider } from '../harness.js';

async function reopened(context: CaseContext): Promise<TrackedProvider> {
  const { options, provider, expect } = context;
  expect(options.reopen, 'a persistent backend must pass `reopen` to runConformance').toBeDefined();
  const fresh: EventStoreProvider = await options.reopen!(provider.inner);
  return new TrackedProvider(fresh);
}

export function durabilityArea(options: ConformanceOptions): void {
  defineArea(options, 'durability', 'Durability across a restart', () => {
    defineCase(
      options,
      'a sealed run is listed, opened and read by a new provider',
      async (context) => {
        const { expect, provider } = context;
        const store = await provider.openRun(manifest('run-1', 5n));
        await store.appendBatch([entry(1, 10, { keys: [clientOrderId('O-1')] }), entry(2, 20)]);
        await store.recordSnapshotAnchor({ highWatermark: 2, blobRef: 'two', contentHash: 'h' });
        await store.seal('Ended', 'ef'.repeat(32));
        await store.close();
        const next = await reopened(context);
        try {
          const runs = await next.listRuns(INSTANCE);
          expect(runs.map((run) => [run.runId, run.status, run.highWatermark])).toEqual([['run-1', 'Ended', 2]]);
          expect(runs[0]!.chainHead).toBe('ef'.repeat(32));
          const reader = next.capabilities.readOnlyOpen ? await next.openSealed(INSTANCE, 'run-1') : undefined;
          if (reader) {
            expect((await reader.scanRange(1, 2)).map((item) => item.seq)).toEqual([1, 2]);
            expect(await reader.lookup('client_order_id', 'O-1')).toBe(1);
            expect((await reader.latestSnapshotAnchor())?.blobRef).toBe('two');
          }
          await expectTapelogError(expect, next.openRun(manifest('run-1')), 'RUN_SEALED', 'run-1');
        } finally {
          await next.closeAll();
        }
      },
      ['persistent'],
    );

    defineCase(
      options,
      'an unsealed run is a crashed predecessor to a new provider, with hwm and end time recovered',
      async (context) => {
        const { expect, provider } = context;
        const store = await runWithEntries(provider, manifest('run-1'), 3, [10, 25, 17]);
        await store.close();
        const next = await reopened(context);
        try {
          await expectTapelogError(expect, next.openRun(manifest('run-1')), 'CRASHED_PREDECESSOR');
          const runs = await next.listRuns(INSTANCE);
          expect(runs.map((run) => run.status)).toEqual(['Running']);
          const recovered = await next.openForRecovery(INSTANCE, 'run-1');
          expect(await recovered.highWatermark()).toBe(3);
          expect((await recovered.manifest()).highWatermark).toBe(3);
          const sealed = await recovered.seal('CrashedRecovered');
          expect(sealed.endTsInit).toBe(25n);
          await recovered.close();
          const third = await reopened(context);
          try {
            await expectTapelogError(expect, third.openRun(manifest('run-1')), 'RUN_SEALED', 'run-1');
            expect((await third.listRuns(INSTANCE))[0]!.status).toBe('CrashedRecovered');
          } finally {
            await third.closeAll();
          }
        } finally {
          await next.closeAll();
        }
      },
      ['persistent'],
    );

    defineCase(
      options,
      'a sealed run is still there after a new run opens beside it',
      async (context) => {
        const { expect, provider } = context;
        const first = await runWithEntries(provider, manifest('run-1', 1n), 1);
        await first.seal('Ended');
        await first.close();
        const next = await reopened(context);
        try {
          const second = await next.openRun(manifest('run-2', 2n));
          expect(await second.highWatermark()).toBe(0);
          expect((await next.listRuns(INSTANCE)).map((run) => run.runId)).toEqual(['run-1', 'run-2']);
        } finally {
          await next.closeAll();
        }
      },
      ['persistent'],
    );
  });
}
