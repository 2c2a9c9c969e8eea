/** Scan area: point reads inside and outside the hwm, inclusive ranges, directions, `from == 0`. */

import type { EventStoreEntry } from '@tapelog/core';
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

const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

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
      'scanEntryHashes and scanRecords, where offered, give the hashes, tsInit bounds and records scanRange reads, clipped to the hwm',
      async ({ expect, provider }) => {
        const store = await provider.openRun(manifest('run-1'));
        // Enough entries that a base-class store checks them on its record-check threads.
        const count = 600;
        await appendRange(store, count);
        const entries = await store.scanRange(1, count);
        expect(seqs(entries)).toHaveLength(count);
        const emptyRanges = [
          [count + 1, count + 9],
          [0, 5],
          [9, 3],
        ] as const;
        if (store.scanEntryHashes !== undefined) {
          const range = await store.scanEntryHashes(1, count + 50);
          expect([range.from, range.to, range.minTsInit, range.maxTsInit]).toEqual([1, count, 10n, BigInt(count) * 10n]);
          expect(range.hashes).toHaveLength(count * 32);
          for (const entry of entries)
            expect(Buffer.from(range.hashes.subarray((entry.seq - 1) * 32, entry.seq * 32)).equals(Buffer.from(entry.entryHash))).toBe(true);
          const middle = await store.scanEntryHashes(5, 7);
          expect([middle.from, middle.to, middle.minTsInit, middle.maxTsInit, middle.hashes.length]).toEqual([5, 7, 50n, 70n, 96]);
          for (const [from, to] of emptyRanges) {
            const empty = await store.scanEntryHashes(from, to);
            expect([empty.hashes.length, empty.minTsInit, empty.to < empty.from]).toEqual([0, undefined, true]);
          }
        }
        if (store.scanRecords !== undefined) {
          const { decodeCheckedEntry } = await import('@tapelog/core');
          for (const [from, to, last] of [
            [1, count + 50, count],
            [5, 7, 7],
          ] as const) {
            const range = await store.scanRecords(from, to);
            expect([range.from, range.to, range.offsets.length, range.offsets[range.offsets.length - 1]]).toEqual([
              from,
              last,
              last - from + 2,
              range.bytes.length,
            ]);
            const decoded = Array.from({ length: last - from + 1 }, (_, index) =>
              decodeCheckedEntry(range.bytes.subarray(range.offsets[index]!, range.offsets[index + 1]!), from + index),
            );
            // Compared field by field as bytes: a backend may hand out Buffers where decoding gives Uint8Arrays.
            const fields = (entry: EventStoreEntry) => [entry.seq, entry.tsInit, entry.topic, entry.payloadType, hex(entry.entryHash), hex(entry.payload)];
            expect(decoded.map(fields)).toEqual(entries.slice(from - 1, last).map(fields));
          }
          for (const [from, to] of emptyRanges) {
            const empty = await store.scanRecords(from, to);
            expect([empty.bytes.length, Array.from(empty.offsets), empty.to < empty.from]).toEqual([0, [0], true]);
          }
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
