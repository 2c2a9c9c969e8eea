/** Seal area: terminal statuses, max tsInit as endTsInit, Running rejected first, second seal CLOSED, chain head, integrity commitment, closed stores. */
import { computeRunIntegrity, type SealedRunStatus } from '@tapelog/core';
import { clientOrderId, entry, expectTapelogError, INSTANCE, manifest, runWithEntries, sortPairs, venueOrderId } from '../fixtures.js';
import { type ConformanceOptions, defineArea, defineCase } from '../harness.js';

const CHAIN_HEAD = 'ab'.repeat(32);

export function sealArea(options: ConformanceOptions): void {
  defineArea(options, 'seal', 'Sealing', () => {
    for (const status of ['Ended', 'CrashedRecovered', 'Quarantined'] as SealedRunStatus[]) {
      defineCase(options, `seal ${status} stamps the maximum tsInit as endTsInit and blocks a second seal`, async ({ expect, provider }) => {
        const store = await runWithEntries(provider, manifest('run-1'), 3, [10, 25, 17]);
        const sealed = await store.seal(status);
        expect(sealed.status).toBe(status);
        expect(sealed.highWatermark).toBe(3);
        expect(sealed.endTsInit).toBe(25n);
        expect((await store.manifest()).status).toBe(status);
        await expectTapelogError(expect, store.seal(status), 'CLOSED');
      });
    }

    defineCase(options, 'sealing with Running is rejected before anything else and the run stays writable', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      await expectTapelogError(expect, store.seal('Running' as SealedRunStatus), 'INVALID_ARGUMENT');
      expect((await store.manifest()).status).toBe('Running');
      expect(await store.appendBatch([entry(1)])).toBe(1);
      await store.seal('Ended');
      await expectTapelogError(expect, store.seal('Running' as SealedRunStatus), 'INVALID_ARGUMENT');
    });

    defineCase(options, 'a seal with no entries leaves endTsInit unset', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      const sealed = await store.seal('Ended');
      expect(sealed.status).toBe('Ended');
      expect(sealed.endTsInit).toBeUndefined();
      expect(sealed.highWatermark).toBe(0);
    });

    defineCase(options, 'seal stores the chain head in the manifest', async ({ expect, provider }) => {
      const store = await runWithEntries(provider, manifest('run-1'), 2);
      const sealed = await store.seal('Ended', CHAIN_HEAD);
      expect(sealed.chainHead).toBe(CHAIN_HEAD);
      expect((await store.manifest()).chainHead).toBe(CHAIN_HEAD);
    });

    defineCase(options, 'seal stores the integrity commitment unchanged, and a sealed reopen returns it', async ({ expect, provider }) => {
      const store = await runWithEntries(provider, manifest('run-1'), 2);
      const integrity = { indexKinds: { client_order_id: { rows: 1, digest: 'cd'.repeat(32) } }, anchor: null };
      const sealed = await store.seal('Ended', CHAIN_HEAD, integrity);
      expect(sealed.integrity).toEqual(integrity);
      await store.close();
      const reopened = await provider.openSealed(INSTANCE, 'run-1');
      expect((await reopened.manifest()).integrity).toEqual(integrity);
      expect((await provider.listRuns(INSTANCE))[0]!.integrity).toEqual(integrity);
      await reopened.close();
    });

    defineCase(
      options,
      'with capabilities.indexLedger, a seal with a true commitment keeps the index rows as sealed; without one, none',
      async ({ expect, provider }) => {
        const store = await provider.openRun(manifest('run-1'));
        if (store.capabilities.indexLedger !== true) return;
        await store.appendBatch([entry(1, 10, { keys: [clientOrderId('O-2'), venueOrderId('V-1')] }), entry(2, 20, { keys: [clientOrderId('O-1')] })]);
        await store.seal('Ended', CHAIN_HEAD, await computeRunIntegrity(store));
        await store.close();
        const sealed = await provider.openSealed(INSTANCE, 'run-1');
        expect(sortPairs((await sealed.sealedIndexRows!('client_order_id'))!)).toEqual([
          ['O-1', 2],
          ['O-2', 1],
        ]);
        expect(await sealed.sealedIndexRows!('venue_order_id')).toEqual([['V-1', 1]]);
        expect(await sealed.sealedIndexRows!('position_id')).toBeUndefined();
        await sealed.close();
        const plain = await provider.openRun(manifest('run-2'));
        await plain.appendBatch([entry(1, 10, { keys: [clientOrderId('O-1')] })]);
        await plain.seal('Ended', CHAIN_HEAD, { indexKinds: { client_order_id: { rows: 1, digest: 'cd'.repeat(32) } }, anchor: null });
        expect(await plain.sealedIndexRows!('client_order_id')).toBeUndefined();
      },
    );

    defineCase(options, 'openRun normalises the manifest: Running, hwm 0, no end, no chain head; identity kept', async ({ expect, provider }) => {
      const given = {
        ...manifest('run-1', 1_700_000_000_000_000_000n),
        status: 'Ended' as const,
        highWatermark: 42,
        endTsInit: 99n,
        chainHead: CHAIN_HEAD,
        seed: 7n,
        parentRunId: 'run-0',
        featureFlags: ['live', 'retention=Full'],
        adapterVersions: { binance: '1.2.3', okx: '2.3.4' },
      };
      const store = await provider.openRun(given);
      const stored = await store.manifest();
      expect(stored.status).toBe('Running');
      expect(stored.highWatermark).toBe(0);
      expect(stored.endTsInit).toBeUndefined();
      expect(stored.chainHead).toBeUndefined();
      expect(stored.seed).toBe(7n);
      expect(stored.parentRunId).toBe('run-0');
      expect(stored.startTsInit).toBe(1_700_000_000_000_000_000n);
      expect(stored.featureFlags).toEqual(['live', 'retention=Full']);
      expect(Object.keys(stored.adapterVersions)).toEqual(['binance', 'okx']);
      expect(await store.highWatermark()).toBe(0);
    });

    defineCase(options, 'a manifest returned by the store is a copy: mutating it changes nothing', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      const copy = await store.manifest();
      copy.featureFlags.push('mutated');
      copy.registeredComponents.actors.x = 'y';
      const again = await store.manifest();
      expect(again.featureFlags).toEqual([]);
      expect(again.registeredComponents.actors).toEqual({});
    });

    defineCase(options, 'reads keep working on a sealed store', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      await store.appendBatch([entry(1, 10, { keys: [{ kind: 'client_order_id', key: 'O-1' }] }), entry(2)]);
      await store.seal('Ended');
      expect((await store.scanRange(1, 2)).length).toBe(2);
      expect((await store.scanSeq(2))?.seq).toBe(2);
      expect(await store.lookup('client_order_id', 'O-1')).toBe(1);
      expect(await store.highWatermark()).toBe(2);
    });

    defineCase(options, 'every method of a closed store is CLOSED and close is idempotent', async ({ expect, provider }) => {
      const store = await runWithEntries(provider, manifest('run-1'), 1);
      await store.close();
      await store.close();
      await expectTapelogError(expect, store.appendBatch([entry(2)]), 'CLOSED');
      await expectTapelogError(expect, store.scanRange(1, 1), 'CLOSED');
      await expectTapelogError(expect, store.scanSeq(1), 'CLOSED');
      await expectTapelogError(expect, store.lookup('client_order_id', 'x'), 'CLOSED');
      await expectTapelogError(expect, store.iterIndexKeys('client_order_id'), 'CLOSED');
      await expectTapelogError(expect, store.latestSnapshotAnchor(), 'CLOSED');
      await expectTapelogError(expect, store.seal('Ended'), 'CLOSED');
      await expectTapelogError(expect, store.manifest(), 'CLOSED');
      await expectTapelogError(expect, store.highWatermark(), 'CLOSED');
    });
  });
}
