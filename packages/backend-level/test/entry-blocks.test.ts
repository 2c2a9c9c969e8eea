/**
 * Entry blocks: one LevelDB row per appended batch, keyed by its last seq. The block codec
 * refuses every malformed length, and the store reads any range across block boundaries,
 * reports gaps, overlaps and damaged blocks by seq, and accepts pipelined appends in order.
 */

import { type EventStore, encodeEntry, type TapelogError } from '@tapelog/core';
import { blockRecord, encodeEntryBlock, MAX_BLOCK_BYTES, MAX_BLOCK_ENTRIES, parseEntryBlock } from '@tapelog/core/backend';
import { temporaryDirectory } from '@tapelog/test-support';
import { ClassicLevel } from 'classic-level';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createProvider, type LevelProvider, runPath } from '../src/index.js';
import { entryKey, seqOfEntryKey } from '../src/keys.js';
import { appendEntries, appendEntry, INSTANCE, manifestFor, rejectionOf } from './helpers.js';

describe('block codec', () => {
  const records = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array([9])];

  test('round trip: each record comes back as a view, in order', () => {
    const block = parseEntryBlock(12, encodeEntryBlock(records));
    if (typeof block === 'string') throw new Error(block);
    expect([block.firstSeq, block.lastSeq]).toEqual([10, 12]);
    expect([10, 11, 12].map((seq) => [...blockRecord(block, seq)])).toEqual([[1, 2, 3], [], [9]]);
  });

  test('an empty block cannot be encoded', () => {
    expect(() => encodeEntryBlock([])).toThrow(RangeError);
  });

  test('every truncation and every extension is malformed, never a shorter block', () => {
    const value = encodeEntryBlock(records);
    for (let length = 0; length < value.length; length++) {
      expect(typeof parseEntryBlock(12, value.subarray(0, length)), `length ${length}`).toBe('string');
    }
    const extended = Buffer.concat([value, Buffer.from([0])]);
    expect(parseEntryBlock(12, extended)).toMatch(/trailing/);
  });

  test('bad counts: zero, beyond the last seq, beyond what the bytes can list', () => {
    const value = Buffer.from(encodeEntryBlock(records));
    expect(parseEntryBlock(2, value)).toMatch(/more than its last seq 2/);
    value.writeUInt32LE(0, 0);
    expect(parseEntryBlock(12, value)).toMatch(/no records/);
    value.writeUInt32LE(1_000_000, 0);
    expect(parseEntryBlock(2_000_000, value)).toMatch(/more than its \d+ bytes can list/);
  });

  test('a flipped byte in the header never parses to the original layout', () => {
    const value = encodeEntryBlock(records);
    const headerLength = 4 + 4 * records.length;
    for (let position = 0; position < headerLength; position++) {
      const damaged = Buffer.from(value);
      damaged[position]! ^= 0x01;
      const parsed = parseEntryBlock(12, damaged);
      if (typeof parsed === 'string') continue;
      const layout = [10, 11, 12].map((seq) => (seq >= parsed.firstSeq ? [...blockRecord(parsed, seq)] : undefined));
      expect(layout, `flip at ${position}`).not.toEqual([[1, 2, 3], [], [9]]);
    }
  });
});

describe('store on blocks', () => {
  let directory: string;
  let provider: LevelProvider;
  let store: EventStore;

  beforeEach(async () => {
    directory = temporaryDirectory('tapelog-level-');
    provider = createProvider({ baseDir: directory });
    store = await provider.openRun(manifestFor('run-1'));
    // Blocks 1..5, 6..6, 7..16, 17..20.
    for (const [from, to] of [
      [1, 5],
      [6, 6],
      [7, 16],
      [17, 20],
    ] as const)
      await store.appendBatch(appendEntries(from, to));
  });

  afterEach(async () => {
    await store.close().catch(() => undefined);
  });

  /** The stored entry rows as [last seq, value], read with a database of our own. */
  async function rawRows(): Promise<Array<[number, Buffer]>> {
    await store.close();
    const db = new ClassicLevel<Buffer, Buffer>(runPath(directory, INSTANCE, 'run-1'), { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    try {
      const rows = await db.iterator({ gte: Buffer.from('e'), lt: Buffer.from('f') }).all();
      return rows.map(([key, value]) => [seqOfEntryKey(key)!, value]);
    } finally {
      await db.close();
    }
  }

  async function editRaw(change: (db: ClassicLevel<Buffer, Buffer>) => Promise<void>): Promise<EventStore> {
    await store.close();
    const db = new ClassicLevel<Buffer, Buffer>(runPath(directory, INSTANCE, 'run-1'), { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await db.open();
    await change(db);
    await db.close();
    store = await provider.openForRecovery(INSTANCE, 'run-1');
    return store;
  }

  test('one row per appended batch, keyed by the batch last seq', async () => {
    const rows = await rawRows();
    expect(rows.map(([last]) => last)).toEqual([5, 6, 16, 20]);
    const sizes = rows.map(([last, value]) => {
      const block = parseEntryBlock(last, value);
      return typeof block === 'string' ? block : block.lastSeq - block.firstSeq + 1;
    });
    expect(sizes).toEqual([5, 1, 10, 4]);
  });

  test('a large batch is cut into blocks by entry count and by size, in one atomic write', async () => {
    await store.appendBatch(appendEntries(21, 620));
    const big = [621, 622, 623, 624].map((seq) => appendEntry(seq, { payloadLength: 100_000 }));
    await store.appendBatch(big);
    expect((await store.scanRange(600, 624)).map((entry) => entry.seq)).toEqual([...Array(25).keys()].map((i) => 600 + i));
    const lasts = (await rawRows()).map(([last]) => last);
    expect(lasts).toEqual([5, 6, 16, 20, 20 + MAX_BLOCK_ENTRIES, 20 + 2 * MAX_BLOCK_ENTRIES, 620, 623, 624]);
    expect(MAX_BLOCK_BYTES).toBeLessThan(300_000);
  });

  test('every range, in both directions, equals the entries appended', async () => {
    const expected = appendEntries(1, 20).map((entry) => entry.entry);
    for (let from = 1; from <= 20; from++) {
      for (let to = from; to <= 22; to++) {
        const forward = await store.scanRange(from, to);
        expect(forward.map((entry) => entry.seq)).toEqual(expected.slice(from - 1, Math.min(to, 20)).map((entry) => entry.seq));
        expect(forward).toEqual(expected.slice(from - 1, Math.min(to, 20)));
        const reverse = await store.scanRange(from, to, 'reverse');
        expect(reverse.map((entry) => entry.seq)).toEqual(forward.map((entry) => entry.seq).reverse());
      }
    }
    for (let seq = 1; seq <= 20; seq++) expect(await store.scanSeq(seq)).toEqual(expected[seq - 1]);
    expect(await store.scanSeq(21)).toBeUndefined();
  });

  test('a scan in consecutive chunks of any size, each starting inside the block the last ended in, equals the entries appended', async () => {
    const expected = appendEntries(1, 20).map((entry) => entry.entry);
    for (let size = 1; size <= 12; size++) {
      const read: typeof expected = [];
      for (let from = 1; from <= 20; from += size) read.push(...(await store.scanRange(from, from + size - 1)));
      expect(read, `chunks of ${size}`).toEqual(expected);
    }
  });

  test('a chunk that follows an append between chunks sees the new block (the carried block is not stale)', async () => {
    expect((await store.scanRange(15, 18)).map((entry) => entry.seq)).toEqual([15, 16, 17, 18]);
    await store.appendBatch(appendEntries(21, 23));
    expect((await store.scanRange(19, 23)).map((entry) => entry.seq)).toEqual([19, 20, 21, 22, 23]);
    expect(await store.scanRange(24, 30)).toEqual([]);
    await store.appendBatch(appendEntries(24, 24));
    expect((await store.scanRange(24, 30)).map((entry) => entry.seq)).toEqual([24]);
  });

  test('a block whose header is damaged makes exactly its seqs CORRUPTED, naming each seq', async () => {
    const reopened = await editRaw(async (db) => {
      const value = Buffer.from((await db.get(entryKey(16))) as Buffer);
      value.writeUInt32LE(value.readUInt32LE(4) + 1, 4);
      await db.put(entryKey(16), value);
    });
    expect(await reopened.highWatermark()).toBe(20);
    for (const seq of [7, 12, 16]) {
      const error = await rejectionOf(reopened.scanSeq(seq));
      expect([error.code, (error as TapelogError).seq]).toEqual(['CORRUPTED', seq]);
      expect(error.message).toMatch(new RegExp(`decode entry seq=${seq}: entry block .*block ending at seq 16`));
    }
    expect((await reopened.scanRange(1, 6)).length).toBe(6);
    expect((await reopened.scanRange(17, 20)).length).toBe(4);
    const range = await rejectionOf(reopened.scanRange(5, 18));
    expect([range.code, (range as TapelogError).seq]).toEqual(['CORRUPTED', 7]);
  });

  test('blocks whose ranges overlap are CORRUPTED, never read twice', async () => {
    // A stray block claiming 15..17 sits between the blocks ending at 16 and 20.
    const reopened = await editRaw(async (db) => {
      await db.put(entryKey(17), encodeEntryBlock([15, 16, 17].map((seq) => encodeEntry(appendEntry(seq).entry))));
    });
    const error = await rejectionOf(reopened.scanRange(1, 20));
    expect([error.code, (error as TapelogError).seq]).toEqual(['CORRUPTED', 17]);
  });

  test('a missing block is a GAP at its first seq, found from either side', async () => {
    const reopened = await editRaw((db) => db.del(entryKey(16)));
    for (const [from, to] of [
      [1, 20],
      [7, 20],
      [10, 12],
      [16, 16],
    ] as const) {
      const error = await rejectionOf(reopened.scanRange(from, to));
      expect([error.code, (error as TapelogError).missing]).toEqual(['GAP', Math.max(7, from)]);
    }
    expect((await rejectionOf(reopened.scanSeq(9))).code).toBe('GAP');
  });

  test('pipelined appends land in call order; one after a failed call fails too', async () => {
    const [a, b, c] = await Promise.all([
      store.appendBatch(appendEntries(21, 22)),
      store.appendBatch(appendEntries(23, 23)),
      store.appendBatch(appendEntries(24, 30)),
    ]);
    expect([a, b, c]).toEqual([22, 23, 30]);
    const first = store.appendBatch(appendEntries(32, 33)); // out of order: 31 is next
    const second = store.appendBatch(appendEntries(34, 35));
    expect((await rejectionOf(first)).code).toBe('OUT_OF_ORDER');
    expect((await rejectionOf(second)).code).toBe('OUT_OF_ORDER');
    expect(await store.highWatermark()).toBe(30);
    expect((await store.scanRange(1, 40)).length).toBe(30);
    expect(store.capabilities.pipelinedAppends).toBe(true);
  });

  test('a sealed store answers CLOSED before encoding, even for a batch that would not encode', async () => {
    await store.seal('Ended');
    const invalid = appendEntry(21, { indexKeys: [{ kind: 'Bad Kind', key: 'x' }] });
    expect((await rejectionOf(store.appendBatch([invalid]))).code).toBe('CLOSED');
    const unsealed = await provider.openRun(manifestFor('run-2'));
    try {
      // On a writable store the same batch fails validation, and nothing lands.
      await expect(unsealed.appendBatch([{ ...invalid, entry: appendEntry(1).entry }])).rejects.toThrow(TypeError);
      expect(await unsealed.highWatermark()).toBe(0);
    } finally {
      await unsealed.close();
    }
  });

  test('a sealed run reopened read-only reads every block', async () => {
    await store.seal('Ended');
    await store.close();
    const sealed = await provider.openSealed(INSTANCE, 'run-1');
    expect((await sealed.scanRange(3, 18)).map((entry) => entry.seq)).toEqual([...Array(16).keys()].map((i) => i + 3));
    await sealed.close();
  });
});
