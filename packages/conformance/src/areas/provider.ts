/** Provider area: opening fresh, crashed and sealed runs; read-only opens; listings; isolation between runs. */

import { appendRange, entries, entry, expectTapelogError, INSTANCE, manifest, runWithEntries } from '../fixtures.js';
import { type ConformanceOptions, defineArea, defineCase } from '../harness.js';

export function providerArea(options: ConformanceOptions): void {
  defineArea(options, 'provider', 'Opening and listing runs', () => {
    defineCase(options, 'openRun of an existing unsealed run is CRASHED_PREDECESSOR and leaves its data intact', async ({ expect, provider }) => {
      const store = await runWithEntries(provider, manifest('run-1'), 3);
      await store.close();
      await expectTapelogError(expect, provider.openRun(manifest('run-1')), 'CRASHED_PREDECESSOR', 'run-1');
      const recovered = await provider.openForRecovery(INSTANCE, 'run-1');
      expect(await recovered.highWatermark()).toBe(3);
      expect((await recovered.scanSeq(1))?.seq).toBe(1);
    });

    defineCase(options, 'openRun of a sealed run is RUN_SEALED naming the run', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      await store.seal('Ended');
      await store.close();
      await expectTapelogError(expect, provider.openRun(manifest('run-1')), 'RUN_SEALED', 'run-1');
    });

    defineCase(options, 'openForRecovery adopts the stored manifest and recomputes hwm and end time, then seals', async ({ expect, provider }) => {
      const store = await provider.openRun({ ...manifest('run-1'), seed: 11n });
      await appendRange(store, 3, [10, 25, 17]);
      await store.close();
      const recovered = await provider.openForRecovery(INSTANCE, 'run-1');
      expect(await recovered.highWatermark()).toBe(3);
      const adopted = await recovered.manifest();
      expect(adopted.status).toBe('Running');
      expect(adopted.seed).toBe(11n);
      const sealed = await recovered.seal('CrashedRecovered');
      expect(sealed.highWatermark).toBe(3);
      expect(sealed.endTsInit).toBe(25n);
      await recovered.close();
      await expectTapelogError(expect, provider.openRun(manifest('run-1')), 'RUN_SEALED', 'run-1');
    });

    defineCase(options, 'openForRecovery rejects missing (RUN_NOT_FOUND) and sealed (RUN_SEALED) runs', async ({ expect, provider }) => {
      await expectTapelogError(expect, provider.openForRecovery(INSTANCE, 'nope'), 'RUN_NOT_FOUND', 'nope');
      const store = await provider.openRun(manifest('run-1'));
      await store.seal('Ended');
      await store.close();
      await expectTapelogError(expect, provider.openForRecovery(INSTANCE, 'run-1'), 'RUN_SEALED', 'run-1');
    });

    defineCase(options, 'a recovered run can be resumed: appends continue from the recovered hwm', async ({ expect, provider }) => {
      const store = await runWithEntries(provider, manifest('run-1'), 2);
      await store.close();
      const recovered = await provider.openForRecovery(INSTANCE, 'run-1');
      await expectTapelogError(expect, recovered.appendBatch([entry(2)]), 'OUT_OF_ORDER');
      expect(await recovered.appendBatch([entry(3)])).toBe(3);
    });

    defineCase(options, 'a run has at most one open store (RUN_ALREADY_OPEN)', async ({ expect, provider }) => {
      const store = await runWithEntries(provider, manifest('run-1'), 1);
      await expectTapelogError(expect, provider.openForRecovery(INSTANCE, 'run-1'), 'RUN_ALREADY_OPEN', 'run-1');
      expect(await store.appendBatch([entry(2)])).toBe(2);
    });

    defineCase(options, 'after sealing a crashed run, a new run opens fresh', async ({ expect, provider }) => {
      const first = await runWithEntries(provider, manifest('run-1'), 1);
      await first.close();
      const recovered = await provider.openForRecovery(INSTANCE, 'run-1');
      await recovered.seal('CrashedRecovered');
      await recovered.close();
      const second = await provider.openRun(manifest('run-2'));
      expect(await second.highWatermark()).toBe(0);
      expect((await second.manifest()).runId).toBe('run-2');
      expect(await second.scanSeq(1)).toBeUndefined();
    });

    defineCase(
      options,
      'openSealed is read-only: every write is CLOSED, every read works',
      async ({ expect, provider }) => {
        const store = await runWithEntries(provider, manifest('run-1'), 3, [10, 25, 17]);
        await store.seal('Ended', 'cd'.repeat(32));
        await store.close();
        const reader = await provider.openSealed(INSTANCE, 'run-1');
        await expectTapelogError(expect, reader.appendBatch([entry(99)]), 'CLOSED');
        await expectTapelogError(expect, reader.appendBatch(entries(4, 4)), 'CLOSED');
        await expectTapelogError(expect, reader.recordSnapshotAnchor({ highWatermark: 1, blobRef: 'b', contentHash: 'c' }), 'CLOSED');
        await expectTapelogError(expect, reader.seal('Quarantined'), 'CLOSED');
        expect(await reader.highWatermark()).toBe(3);
        const sealed = await reader.manifest();
        expect(sealed.status).toBe('Ended');
        expect(sealed.endTsInit).toBe(25n);
        expect(sealed.chainHead).toBe('cd'.repeat(32));
        expect((await reader.scanRange(1, 3)).map((item) => item.seq)).toEqual([1, 2, 3]);
      },
      ['readOnlyOpen'],
    );

    defineCase(
      options,
      'openSealed rejects a Running run (RUN_NOT_SEALED) and a missing one (RUN_NOT_FOUND)',
      async ({ expect, provider }) => {
        const store = await provider.openRun(manifest('run-1'));
        await store.close();
        await expectTapelogError(expect, provider.openSealed(INSTANCE, 'run-1'), 'RUN_NOT_SEALED', 'run-1');
        await expectTapelogError(expect, provider.openSealed(INSTANCE, 'run-missing'), 'RUN_NOT_FOUND', 'run-missing');
      },
      ['readOnlyOpen'],
    );

    defineCase(options, 'a backend without read-only opens says NOT_SUPPORTED', async ({ expect, provider, skip }) => {
      if (provider.capabilities.readOnlyOpen) {
        skip('backend supports read-only opens');
        return;
      }
      const store = await provider.openRun(manifest('run-1'));
      await store.seal('Ended');
      await store.close();
      await expectTapelogError(expect, provider.openSealed(INSTANCE, 'run-1'), 'NOT_SUPPORTED');
    });

    defineCase(options, 'listRuns returns every run sorted by startTsInit with its status', async ({ expect, provider }) => {
      for (const [runId, start] of [
        ['run-c', 300n],
        ['run-a', 100n],
        ['run-b', 200n],
      ] as const) {
        const store = await runWithEntries(provider, manifest(runId, start), 2);
        if (runId !== 'run-b') await store.seal('Ended');
        await store.close();
      }
      const runs = await provider.listRuns(INSTANCE);
      expect(runs.map((run) => run.runId)).toEqual(['run-a', 'run-b', 'run-c']);
      expect(runs.map((run) => run.status)).toEqual(['Ended', 'Running', 'Ended']);
      expect(runs[0]!.highWatermark).toBe(2);
    });

    defineCase(options, 'listRuns of an unknown instance is empty and instances are isolated', async ({ expect, provider }) => {
      expect(await provider.listRuns('nobody')).toEqual([]);
      const store = await provider.openRun(manifest('run-1', 1n, 'trader-a'));
      await store.close();
      expect((await provider.listRuns('trader-a')).map((run) => run.runId)).toEqual(['run-1']);
      expect(await provider.listRuns('trader-b')).toEqual([]);
      const other = await provider.openRun(manifest('run-1', 1n, 'trader-b'));
      expect(await other.highWatermark()).toBe(0);
    });

    defineCase(options, 'run and instance ids that could escape the storage location are rejected', async ({ expect, provider }) => {
      for (const bad of ['../evil', 'a/b', '', '..']) {
        let caught: unknown;
        try {
          await provider.openRun(manifest(bad));
        } catch (error) {
          caught = error;
        }
        expect(caught, `run id ${JSON.stringify(bad)} must be rejected`).toBeDefined();
      }
      let caught: unknown;
      try {
        await provider.openRun(manifest('run-1', 0n, '../up'));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeDefined();
    });
  });
}
