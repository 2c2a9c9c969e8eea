/**
 * The entry-block helpers every key-value backend reads with: range walks across blocks, single
 * seq lookups, tamper rewrites and progress recovery. Damage must come back as CORRUPTED (or a
 * gap) at the first seq it affects, never as a shorter or different answer.
 */
import { describe, expect, test } from 'vitest';
import {
  encodeEntryBlock,
  maxTsInitOfBlockRow,
  parseEntryBlock,
  recordOfBlockRow,
  rewriteBlockRecord,
  rowsOfBlocks,
  type StoredRow,
} from '../src/backend/index.js';
import { buildAppendEntry, encodeEntry, TapelogError } from '../src/index.js';

const LOCATION = '/runs/r1';

/** A block row holding the one-byte records of seqs `first..last` (each record is its seq). */
function row(first: number, last: number): [Uint8Array, Uint8Array] {
  const records = Array.from({ length: last - first + 1 }, (_, i) => Uint8Array.of(first + i));
  return [Uint8Array.of(last), encodeEntryBlock(records)];
}

const seqOfKey = (key: Uint8Array): number | undefined => (key.length === 1 ? key[0] : undefined);

function seqsAndRecords(rows: StoredRow[]): Array<[number, number | string]> {
  return rows.map(([seq, value]) => [seq, TapelogError.isInstance(value) ? value.code : (value as Uint8Array)[0]!]);
}

describe('rowsOfBlocks', () => {
  test('reads a range across blocks, starting and ending inside them, and stops once it is covered', () => {
    let pulled = 0;
    function* blocks(): Generator<[Uint8Array, Uint8Array]> {
      for (const block of [row(1, 4), row(5, 8), row(9, 12), row(13, 16)]) {
        pulled++;
        yield block;
      }
    }
    expect(seqsAndRecords(rowsOfBlocks(blocks(), seqOfKey, 3, 9, LOCATION))).toEqual([3, 4, 5, 6, 7, 8, 9].map((seq) => [seq, seq]));
    expect(pulled).toBe(3);
  });

  test('leaves out seqs no block holds, for the caller to report as a gap', () => {
    expect(seqsAndRecords(rowsOfBlocks([row(1, 2), row(5, 6)], seqOfKey, 1, 6, LOCATION)).map(([seq]) => seq)).toEqual([1, 2, 5, 6]);
  });

  test('a damaged block or an overlapping one becomes a CORRUPTED row at the first seq needed from it', () => {
    const damaged: [Uint8Array, Uint8Array] = [Uint8Array.of(6), Uint8Array.of(9, 9)];
    expect(seqsAndRecords(rowsOfBlocks([row(1, 3), damaged], seqOfKey, 2, 6, LOCATION))).toEqual([
      [2, 2],
      [3, 3],
      [4, 'CORRUPTED'],
    ]);
    expect(seqsAndRecords(rowsOfBlocks([row(1, 3), row(2, 6)], seqOfKey, 1, 6, LOCATION))).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 'CORRUPTED'],
    ]);
    expect(seqsAndRecords(rowsOfBlocks([[Uint8Array.of(1, 2), row(1, 3)[1]]], seqOfKey, 1, 3, LOCATION))).toEqual([[1, 'CORRUPTED']]);
  });
});

describe('recordOfBlockRow', () => {
  test('finds the record of a seq inside its block; GAP when the block starts after it; CORRUPTED when damaged', () => {
    const [key, value] = row(5, 8);
    expect(recordOfBlockRow(seqOfKey(key), key, value, 6, LOCATION)).toEqual(Uint8Array.of(6));
    expect(() => recordOfBlockRow(seqOfKey(key), key, value, 3, LOCATION)).toThrow(expect.objectContaining({ code: 'GAP' }));
    expect(() => recordOfBlockRow(8, key, value.subarray(0, value.length - 1), 6, LOCATION)).toThrow(expect.objectContaining({ code: 'CORRUPTED' }));
    expect(() => recordOfBlockRow(undefined, key, value, 6, LOCATION)).toThrow(expect.objectContaining({ code: 'CORRUPTED' }));
  });
});

describe('rewriteBlockRecord', () => {
  const block = parseEntryBlock(8, row(5, 8)[1]);
  if (typeof block === 'string') throw new Error(block);

  test('an overwrite replaces the block under the same key with one record changed', () => {
    const rewrite = rewriteBlockRecord(block, 6, Uint8Array.of(60));
    expect(rewrite.remove).toBe(8);
    expect(rewrite.put.map(([last, value]) => seqsAndRecords(rowsOfBlocks([[Uint8Array.of(last), value]], seqOfKey, 5, 8, LOCATION)))).toEqual([
      [
        [5, 5],
        [6, 60],
        [7, 7],
        [8, 8],
      ],
    ]);
  });

  test('a removal splits the block around the seq, and removes a one-record block whole', () => {
    const rewrite = rewriteBlockRecord(block, 6, undefined);
    expect(rewrite.remove).toBe(8);
    expect(rewrite.put.map(([last]) => last)).toEqual([5, 8]);
    expect(
      seqsAndRecords(
        rowsOfBlocks(
          rewrite.put.map(([last, value]) => [Uint8Array.of(last), value] as const),
          seqOfKey,
          5,
          8,
          LOCATION,
        ),
      ),
    ).toEqual([
      [5, 5],
      [7, 7],
      [8, 8],
    ]);
    const single = parseEntryBlock(3, row(3, 3)[1]);
    if (typeof single === 'string') throw new Error(single);
    expect(rewriteBlockRecord(single, 3, undefined)).toEqual({ remove: 3, put: [] });
  });
});

describe('maxTsInitOfBlockRow', () => {
  const record = (seq: number, tsInit: bigint): Uint8Array =>
    encodeEntry(buildAppendEntry({ headers: {}, topic: 't', payloadType: 'p', payload: new Uint8Array(4), tsInit, indexKeys: [] }, seq, tsInit).entry);

  test('is the largest tsInit of the records that decode, skipping a damaged record or block', () => {
    const value = encodeEntryBlock([record(1, 30n), record(2, 10n), Uint8Array.of(1, 2, 3)]);
    expect(maxTsInitOfBlockRow(3, value)).toBe(30n);
    expect(maxTsInitOfBlockRow(3, value.subarray(0, 5))).toBe(0n);
    expect(maxTsInitOfBlockRow(undefined, value)).toBe(0n);
  });
});
