/** Scan area: point reads inside and outside the hwm, inclusive ranges, directions, `from == 0`. */

import { appendRange, manifest, runWithEntries, seqs } from '../fixtures.js';
import { type ConformanceOptions, defineArea, defineCase } from '../harness.js';

const RANGE_CASES: Array<[from: number, to: number, direction: 'forward' | 'reverse', expected: number[]]> = [
  [1, 3, 'forward', [1, 2, 3]],
  [1, 3, 'reverse', [3, 2, 1]],
  [2, 3, 'forward', [2, 3]],
  [2, 3, 'reverse', [3, 2]],
  [2, 99, 'forward', [2, 3]],
  [2, 99, 'reverse', [3, 2]],
  [3, 1, 'forward', []],
  [0, 0, 'forward', []],
  [0, 3, 'forward', []],
  [4, 9, 'forward', []],
];

export function scanArea(options: ConformanceOptions): void {
  defineArea(options, 'scan', 'Reads', () => {
    defineCase(options, 'scanSeq returns the committed entry', async ({ expect, provider }) => {
      const store = await runWithEntries(provider, manifest('run-1'), 3, [10, 11, 12]);
      const found = await store.scanSeq(2);
      expect(found?.seq).toBe(2);
      expect(found?.tsInit).toBe(11n);
    });

    defineCase(options, 'scanSeq returns nothing for 0 and beyond the hwm', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      expect(await store.scanSeq(1)).toBeUndefined();
      await appendRange(store, 1);
      expect(await store.scanSeq(0)).toBeUndefined();
      expect(await store.scanSeq(2)).toBeUndefined();
    });

    for (const [from, to, direction, expected] of RANGE_CASES) {
      defineCase(options, `scanRange(${from}, ${to}, ${direction}) over hwm 3 gives [${expected.join(', ')}]`, async ({ expect, provider }) => {
        const store = await runWithEntries(provider, manifest('run-1'), 3);
        expect(seqs(await store.scanRange(from, to, direction))).toEqual(expected);
      });
    }

    defineCase(
      options,
      'scanEntryHashes, where offered, gives the hashes and tsInit bounds scanRange reads, clipped to the hwm',
      async ({ expect, provider }) => {
        const store = await provider.openRun(manifest('run-1'));
        // Enough entries that a base-class store checks them on its record-check threads.
        const count = 600;
        await appendRange(store, count);
        if (store.scanEntryHashes === undefined) {
          expect(seqs(await store.scanRange(1, count))).toHaveLength(count);
          return;
        }
        const entries = await store.scanRange(1, count);
        const range = await store.scanEntryHashes(1, count + 50);
        expect([range.from, range.to, range.minTsInit, range.maxTsInit]).toEqual([1, count, 10n, BigInt(count) * 10n]);
        expect(range.hashes).toHaveLength(count * 32);
        for (const entry of entries)
          expect(Buffer.from(range.hashes.subarray((entry.seq - 1) * 32, entry.seq * 32)).equals(Buffer.from(entry.entryHash))).toBe(true);
        const middle = await store.scanEntryHashes(5, 7);
        expect([middle.from, middle.to, middle.minTsInit, middle.maxTsInit, middle.hashes.length]).toEqual([5, 7, 50n, 70n, 96]);
        for (const [from, to] of [
          [count + 1, count + 9],
          [0, 5],
          [9, 3],
        ] as const) {
          const empty = await store.scanEntryHashes(from, to);
          expect([empty.hashes.length, empty.minTsInit, empty.to < empty.from]).toEqual([0, undefined, true]);
        }
      },
    );

    defineCase(options, 'scanRange defaults to forward and returns nothing on an empty run', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      expect(await store.scanRange(1, 10)).toEqual([]);
      await appendRange(store, 2);
      expect(seqs(await store.scanRange(1, 10))).toEqual([1, 2]);
    });
  });
}
