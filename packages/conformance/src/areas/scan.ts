/** Scan area: point reads inside and outside the hwm, inclusive ranges, directions, `from == 0`. */

import { appendRange, manifest, seqs } from '../fixtures.js';
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
      const store = await provider.openRun(manifest('run-1'));
      await appendRange(store, 3, [10, 11, 12]);
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
        const store = await provider.openRun(manifest('run-1'));
        await appendRange(store, 3);
        expect(seqs(await store.scanRange(from, to, direction))).toEqual(expected);
      });
    }

    defineCase(options, 'scanRange defaults to forward and returns nothing on an empty run', async ({ expect, provider }) => {
      const store = await provider.openRun(manifest('run-1'));
      expect(await store.scanRange(1, 10)).toEqual([]);
      await appendRange(store, 2);
      expect(seqs(await store.scanRange(1, 10))).toEqual([1, 2]);
    });
  });
}
