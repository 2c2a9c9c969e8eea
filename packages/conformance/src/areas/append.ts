/**
 * Append area: contiguity, whole-batch rejection, empty batches, appends after seal, hashes not
 * checked on append, and (gated on pipelinedAppends) appends issued before the previous settled.
 */
import { bytesEqual } from '@tapelog/core';
import { appendRange, clientOrderId, entries, entry, expectTapelogError, manifest, runWithEntries, seqs } from '../fixtures.js';
import { type ConformanceOptions, defineArea, defineCase } from '../harness.js';

export function appendArea(options: ConformanceOptions): void {
  defineArea(options, 'append', 'Appends', () => {
    defineCase(options, 'append advances the high-watermark to the last seq of the batch', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      expect(await store.appendBatch(entries(1, 3))).toBe(3);
      expect(await store.highWatermark()).toBe(3);
      expect((await store.manifest()).highWatermark).toBe(3);
      expect(await store.appendBatch(entries(4, 5))).toBe(5);
      expect(await store.highWatermark()).toBe(5);
    });

    defineCase(options, 'append rejects a first seq that is not hwm + 1', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      const error = await expectTapelogError(expect, store.appendBatch([entry(2)]), 'OUT_OF_ORDER');
      expect(error.highWatermark).toBe(0);
      expect(error.seq).toBe(2);
      await store.appendBatch(entries(1, 2));
      const later = await expectTapelogError(expect, store.appendBatch([entry(4)]), 'OUT_OF_ORDER');
      expect(later.highWatermark).toBe(2);
      expect(later.seq).toBe(4);
      await expectTapelogError(expect, store.appendBatch([entry(2)]), 'OUT_OF_ORDER');
    });

    defineCase(options, 'a batch with a gap inside is rejected whole: no entry and no index row lands', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      const batch = [entry(1, 10, { keys: [clientOrderId('O-1')] }), entry(3, 30)];
      const error = await expectTapelogError(expect, store.appendBatch(batch), 'OUT_OF_ORDER');
      expect(error.highWatermark).toBe(0);
      expect(error.seq).toBe(3);
      expect(await store.highWatermark()).toBe(0);
      expect(await store.scanSeq(1)).toBeUndefined();
      expect(await store.lookup('client_order_id', 'O-1')).toBeUndefined();
      expect(await store.appendBatch([entry(1)])).toBe(1);
    });

    defineCase(options, 'an empty batch is a no-op that returns the current hwm', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      expect(await store.appendBatch([])).toBe(0);
      expect(await store.highWatermark()).toBe(0);
      await appendRange(store, 2);
      expect(await store.appendBatch([])).toBe(2);
    });

    defineCase(options, 'append after seal is CLOSED, even for an empty batch', async ({ expect, provider }) => {
      const store = await runWithEntries(provider, manifest('run-1'), 1);
      await store.seal('Ended');
      await expectTapelogError(expect, store.appendBatch([entry(2)]), 'CLOSED');
      await expectTapelogError(expect, store.appendBatch([]), 'CLOSED');
      expect(await store.highWatermark()).toBe(1);
    });

    defineCase(options, 'the backend stores a tampered entry without checking its hash; reads report HASH_MISMATCH', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      const tampered = entry(1);
      tampered.entry.payload = new Uint8Array([1, 2, 4]);
      expect(await store.appendBatch([tampered])).toBe(1);
      const point = await expectTapelogError(expect, store.scanSeq(1), 'HASH_MISMATCH');
      expect(point.seq).toBe(1);
      const range = await expectTapelogError(expect, store.scanRange(1, 1), 'HASH_MISMATCH');
      expect(range.seq).toBe(1);
    });

    defineCase(options, 'entries round-trip every field: headers, empty and binary payloads, unicode topics', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      const batch = [
        entry(1, 1_700_000_000_000_000_000n, {
          headers: { correlationId: '01020304-0506-4708-890a-0b0c0d0e0f10', causationId: '11121314-1516-4718-991a-1b1c1d1e1f20' },
        }),
        entry(2, 5, { payload: new Uint8Array(0), topic: 'data.quotes.BTC/USDT·ÉÜ', payloadType: 'Quote' }),
        entry(3, 18_446_744_073_709_551_614n, {
          payload: Uint8Array.from({ length: 4096 }, (_, i) => (i * 7) & 0xff),
          headers: { causationId: '11121314-1516-4718-991a-1b1c1d1e1f20' },
        }),
      ];
      await store.appendBatch(batch);
      const read = await store.scanRange(1, 3);
      expect(read).toHaveLength(3);
      for (let i = 0; i < 3; i++) {
        const want = batch[i]!.entry;
        const got = read[i]!;
        expect(got.seq).toBe(want.seq);
        expect(got.topic).toBe(want.topic);
        expect(got.payloadType).toBe(want.payloadType);
        expect(got.tsInit).toBe(want.tsInit);
        expect(got.tsPublish).toBe(want.tsPublish);
        expect(got.headers).toEqual(want.headers);
        expect(bytesEqual(got.payload, want.payload)).toBe(true);
        expect(bytesEqual(got.entryHash, want.entryHash)).toBe(true);
      }
    });

    defineCase(
      options,
      'pipelined: three appends issued without awaiting land in call order, each on the hwm the previous left',
      async ({ expect, provider }) => {
        const store = await provider.openRun(manifest('run-1'));
        const calls = [store.appendBatch(entries(1, 3)), store.appendBatch(entries(4, 6)), store.appendBatch(entries(7, 9))];
        const outcomes = await Promise.allSettled(calls);
        const described = outcomes.map((outcome) =>
          outcome.status === 'fulfilled' ? outcome.value : `rejected: ${String((outcome.reason as Error)?.message ?? outcome.reason)}`,
        );
        expect(described).toEqual([3, 6, 9]);
        expect(await store.highWatermark()).toBe(9);
        expect(seqs(await store.scanRange(1, 9))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      },
      ['pipelinedAppends'],
    );

    defineCase(
      options,
      'pipelined: the second of two un-awaited appends is out of order: it rejects OUT_OF_ORDER, the first lands, nothing of the second',
      async ({ expect, provider }) => {
        const store = await provider.openRun(manifest('run-1'));
        const first = store.appendBatch(entries(1, 3));
        const second = store.appendBatch([entry(5, 50, { keys: [clientOrderId('O-5')] }), entry(6)]);
        const [landed, rejected] = await Promise.allSettled([first, second]);
        expect(landed.status === 'fulfilled' ? landed.value : `rejected: ${String((landed as PromiseRejectedResult).reason)}`).toBe(3);
        const error = await expectTapelogError(expect, second, 'OUT_OF_ORDER');
        expect(rejected.status).toBe('rejected');
        expect(error.highWatermark).toBe(3);
        expect(error.seq).toBe(5);
        expect(await store.highWatermark()).toBe(3);
        expect(seqs(await store.scanRange(1, 9))).toEqual([1, 2, 3]);
        expect(await store.scanSeq(5)).toBeUndefined();
        expect(await store.lookup('client_order_id', 'O-5')).toBeUndefined();
      },
      ['pipelinedAppends'],
    );

    defineCase(
      options,
      'pipelined: an append issued behind a failing one fails too, and nothing of either lands',
      async ({ expect, provider }) => {
        const store = await provider.openRun(manifest('run-1'));
        // The first is out of order; the second follows it, so it meets the hwm the failure left.
        const failing = store.appendBatch(entries(2, 3));
        const behind = store.appendBatch(entries(4, 5));
        await Promise.allSettled([failing, behind]);
        await expectTapelogError(expect, failing, 'OUT_OF_ORDER');
        const error = await expectTapelogError(expect, behind, 'OUT_OF_ORDER');
        expect(error.highWatermark).toBe(0);
        expect(await store.highWatermark()).toBe(0);
        expect(seqs(await store.scanRange(1, 9))).toEqual([]);
        expect(await store.appendBatch(entries(1, 2))).toBe(2);
      },
      ['pipelinedAppends'],
    );

    defineCase(options, 'random batches append and scan back in order, forward and reverse', async ({ expect, provider }) => {
      let state = 0x9e3779b9;
      const random = (limit: number) => {
        state = (state * 1664525 + 1013904223) >>> 0;
        return state % limit;
      };
      for (let round = 0; round < 8; round++) {
        const store = await provider.openRun(manifest(`run-${round}`));
        const count = 1 + random(15);
        const batch = [];
        for (let seq = 1; seq <= count; seq++) {
          batch.push(entry(seq, BigInt(random(1_000_000)), { payload: Uint8Array.from({ length: random(32) }, () => random(256)) }));
        }
        expect(await store.appendBatch(batch)).toBe(count);
        const forward = await store.scanRange(1, count);
        expect(forward.map((item) => item.seq)).toEqual(batch.map((item) => item.entry.seq));
        for (let i = 0; i < count; i++) {
          expect(bytesEqual(forward[i]!.payload, batch[i]!.entry.payload)).toBe(true);
          expect(forward[i]!.tsInit).toBe(batch[i]!.entry.tsInit);
        }
        const reverse = await store.scanRange(1, count, 'reverse');
        expect(reverse.map((item) => item.seq)).toEqual(batch.map((item) => item.entry.seq).reverse());
        await store.close();
      }
    });
  });
}
