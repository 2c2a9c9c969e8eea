/** Index area: first write wins per (kind, key), kinds are isolated and listed, only supplied keys are indexed, custom kinds. */

import { CORRELATION, clientOrderId, entry, expectTapelogError, INSTANCE, manifest, sortPairs, venueOrderId } from '../fixtures.js';
import { type ConformanceOptions, defineArea, defineCase } from '../harness.js';

export function indexArea(options: ConformanceOptions): void {
  defineArea(options, 'index', 'Index keys', () => {
    defineCase(options, 'lookup records the first occurrence per kind, across entries and batches', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      await store.appendBatch([entry(1, 10, { keys: [clientOrderId('O-1'), venueOrderId('V-1')] })]);
      await store.appendBatch([entry(2, 20, { keys: [clientOrderId('O-1'), venueOrderId('V-1')] })]);
      expect(await store.lookup('client_order_id', 'O-1')).toBe(1);
      expect(await store.lookup('venue_order_id', 'V-1')).toBe(1);
      expect(await store.lookup('client_order_id', 'missing')).toBeUndefined();
    });

    defineCase(options, 'indexKinds lists every kind holding a row, custom kinds included, and survives a reopen', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      expect(await store.indexKinds()).toEqual([]);
      await store.appendBatch([entry(1, 10, { keys: [clientOrderId('O-1'), { kind: 'strategy_tag', key: 'S-1' }] }), entry(2, 20)]);
      expect([...(await store.indexKinds())].sort()).toEqual(['client_order_id', 'strategy_tag']);
      await store.seal('Ended');
      await store.close();
      const sealed = await provider.openSealed(INSTANCE, 'run-1');
      expect([...(await sealed.indexKinds())].sort()).toEqual(['client_order_id', 'strategy_tag']);
      await sealed.close();
    });

    defineCase(options, 'duplicate keys inside one entry and one batch resolve to the first seq', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      await store.appendBatch([
        entry(1, 10, { keys: [clientOrderId('O-1'), clientOrderId('O-1')] }),
        entry(2, 20, { keys: [clientOrderId('O-1'), clientOrderId('O-2')] }),
      ]);
      expect(await store.lookup('client_order_id', 'O-1')).toBe(1);
      expect(await store.lookup('client_order_id', 'O-2')).toBe(2);
    });

    defineCase(options, 'the same key under two kinds is two independent entries', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      await store.appendBatch([entry(1, 10, { keys: [clientOrderId('shared')] }), entry(2, 20, { keys: [venueOrderId('shared')] })]);
      expect(await store.lookup('client_order_id', 'shared')).toBe(1);
      expect(await store.lookup('venue_order_id', 'shared')).toBe(2);
      expect(await store.lookup('position_id', 'shared')).toBeUndefined();
    });

    defineCase(options, 'nothing is indexed unless supplied: headers are not index keys', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      await store.appendBatch([entry(1, 10, { headers: { correlationId: CORRELATION } })]);
      expect(await store.lookup('client_order_id', CORRELATION)).toBeUndefined();
      expect(await store.iterIndexKeys('client_order_id')).toEqual([]);
    });

    defineCase(options, 'iterIndexKeys enumerates the first-write-wins pairs of one kind', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      await store.appendBatch([
        entry(1, 10, { keys: [clientOrderId('O-1'), venueOrderId('V-1')] }),
        entry(2, 20, { keys: [clientOrderId('O-2'), clientOrderId('O-1')] }),
      ]);
      expect(sortPairs(await store.iterIndexKeys('client_order_id'))).toEqual([
        ['O-1', 1],
        ['O-2', 2],
      ]);
      expect(await store.iterIndexKeys('venue_order_id')).toEqual([['V-1', 1]]);
    });

    defineCase(options, 'lookupMany, where a store offers it, answers as lookup does, in the order asked', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      await store.appendBatch([entry(1, 10, { keys: [clientOrderId('O-1')] }), entry(2, 20, { keys: [clientOrderId('O-2'), clientOrderId('O-1')] })]);
      if (store.lookupMany === undefined) return;
      expect(await store.lookupMany('client_order_id', ['O-2', 'O-9', 'O-1', 'O-2'])).toEqual([2, undefined, 1, 2]);
      expect(await store.lookupMany('client_order_id', [])).toEqual([]);
    });

    defineCase(options, 'custom kinds matching the kind pattern are indexed like built-in ones', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      const kind = 'position_id_2';
      await store.appendBatch([entry(1, 10, { keys: [{ kind, key: 'P-1' }] }), entry(2, 20, { keys: [{ kind, key: 'P-1' }] })]);
      expect(await store.lookup(kind, 'P-1')).toBe(1);
      expect(await store.iterIndexKeys(kind)).toEqual([['P-1', 1]]);
    });

    defineCase(options, 'a batch carrying an invalid index kind is rejected whole', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      let caught: unknown;
      try {
        await store.appendBatch([entry(1, 10, { keys: [{ kind: 'Bad Kind', key: 'x' }] })]);
      } catch (error) {
        caught = error;
      }
      expect(caught instanceof TypeError || (caught as { code?: string } | undefined)?.code === 'INVALID_ARGUMENT').toBe(true);
      expect(await store.highWatermark()).toBe(0);
      expect(await store.scanSeq(1)).toBeUndefined();
      await expectTapelogError(expect, store.appendBatch([entry(2)]), 'OUT_OF_ORDER');
    });

    defineCase(options, 'index keys of any text, including empty and unicode strings, round-trip', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      const keys = ['', 'O-ü-€', 'a\u0000b', 'x'.repeat(300)];
      await store.appendBatch(keys.map((key, i) => entry(i + 1, 10, { keys: [clientOrderId(key)] })));
      for (let i = 0; i < keys.length; i++) expect(await store.lookup('client_order_id', keys[i]!)).toBe(i + 1);
      expect(await store.lookup('client_order_id', 'a')).toBeUndefined();
    });
  });
}
