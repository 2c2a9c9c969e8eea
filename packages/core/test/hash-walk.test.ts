/**
 * The pieces of hash-only walks (verify): checking a record without building its entry, folding
 * a hash into the chain where it lies, and checking packed chunks of records.
 */
import { describe, expect, test } from 'vitest';
import { checkRecords, packRecords } from '../src/backend/record-check.js';
import { buildEntry, ChainHasher, checkEntryRecord, encodeEntry, type TapelogError } from '../src/index.js';

function record(seq: number, tsInit: bigint): Buffer {
  return encodeEntry(
    buildEntry(
      { headers: {}, topic: 'events.order', payloadType: 'OrderFilled', payload: new Uint8Array([seq & 0xff, 2, 3]), tsInit, indexKeys: [] },
      seq,
      tsInit + 1n,
    ),
  );
}

function thrown(action: () => unknown): TapelogError {
  try {
    action();
  } catch (error) {
    return error as TapelogError;
  }
  throw new Error('nothing was thrown');
}

describe('checkEntryRecord', () => {
  test('returns the tsInit of a sound record', () => {
    expect(checkEntryRecord(record(7, 123n), 7)).toBe(123n);
  });

  test('a flipped payload byte is HASH_MISMATCH, garbage is CORRUPTED, another seq is CORRUPTED with storedSeq', () => {
    const flipped = record(7, 1n);
    flipped[flipped.length - 1]! ^= 1;
    expect(thrown(() => checkEntryRecord(flipped, 7))).toMatchObject({ code: 'HASH_MISMATCH', seq: 7 });
    expect(thrown(() => checkEntryRecord(new Uint8Array(8).fill(0xff), 7))).toMatchObject({ code: 'CORRUPTED', seq: 7 });
    expect(thrown(() => checkEntryRecord(record(8, 1n), 7))).toMatchObject({ code: 'CORRUPTED', seq: 7, storedSeq: 8 });
  });
});

describe('ChainHasher.updateAt', () => {
  test('gives the head update gives, for hashes at any offset', () => {
    const bytes = new Uint8Array(5 + 3 * 32).map((_, i) => (i * 31) & 0xff);
    const byView = new ChainHasher();
    const byOffset = new ChainHasher();
    for (let offset = 5; offset < bytes.length; offset += 32) {
      byView.update(bytes.subarray(offset, offset + 32));
      byOffset.updateAt(bytes, offset);
    }
    expect(byOffset.headHex).toBe(byView.headHex);
    expect(byOffset.length).toBe(3);
    expect(() => byOffset.updateAt(bytes, bytes.length - 31)).toThrow(RangeError);
  });
});

describe('packRecords', () => {
  test('packs records back to back, whether they lie side by side in one buffer, apart in it, or in buffers of their own', () => {
    const records = [4, 5, 6, 7, 8, 9].map((seq) => record(seq, BigInt(seq)));
    const block = Buffer.concat([records[0]!, records[1]!, records[2]!, Buffer.from([0xee]), records[3]!, records[4]!]);
    const views: Uint8Array[] = [];
    let at = 0;
    for (const [index, gap] of [
      [0, 0],
      [1, 0],
      [2, 0],
      [3, 1],
      [4, 0],
    ] as const) {
      at += gap;
      views.push(block.subarray(at, at + records[index]!.length));
      at += records[index]!.length;
    }
    views.push(records[5]!);
    const packed = packRecords(3, 4, views);
    expect(Buffer.from(packed.bytes).equals(Buffer.concat(records))).toBe(true);
    expect(Array.from(packed.offsets)).toEqual([0, ...records.map((_, index) => Buffer.concat(records.slice(0, index + 1)).length)]);
    expect(checkRecords(packed).failedIndex).toBe(-1);
    expect(packRecords(4, 1, []).bytes.length).toBe(0);
  });
});

describe('checkRecords', () => {
  test('gives the stored hashes and tsInit bounds of a packed chunk, and stops at the first bad record', () => {
    const records = [record(4, 40n), record(5, 20n), record(6, 60n), record(7, 70n)];
    const clean = checkRecords(packRecords(1, 4, records));
    expect([clean.failedIndex, clean.minTsInit, clean.maxTsInit, clean.hashes.length]).toEqual([-1, 20n, 70n, 128]);
    expect(Buffer.from(clean.hashes.subarray(32, 64)).equals(records[1]!.subarray(5, 37))).toBe(true);
    const bad = [...records];
    bad[2] = record(9, 60n);
    const failed = checkRecords(packRecords(2, 4, bad));
    expect([failed.id, failed.failedIndex, failed.hashes.length]).toEqual([2, 2, 64]);
  });
});
