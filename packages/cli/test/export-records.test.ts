/** The Parquet export's record hand-off: columns built from gathered record bytes equal those built from entries. */
import { msgpackEncoder } from '@tapelog/capture';
import { buildEntry, decodeCheckedEntry, type EventStoreEntry, encodeEntry, runEndedDraft } from '@tapelog/core';
import type { Table } from 'apache-arrow';
import { describe, expect, test } from 'vitest';
import { EntryRecordsBuilder, RecordColumnsBuilder } from '../src/export-records.js';
import { EXPORT_COLUMNS, entriesToArrowTable } from '../src/export-rows.js';
import { payloadDecodersFor } from '../src/payload-decoders.js';

const CORRELATION = '6f1c2e8a-1b2c-4d3e-8f90-a1b2c3d4e5f6';
const CAUSATION = '0a1b2c3d-4e5f-4a6b-9c7d-8e9fa0b1c2d3';
const encode = msgpackEncoder<{ orderId: string }>();

/** Entries with every header combination, several topics and payload types, msgpack and opaque payloads, ending in RunEnded. */
function sampleEntries(firstSeq: number, count: number): EventStoreEntry[] {
  const entries: EventStoreEntry[] = [];
  for (let seq = firstSeq; seq < firstSeq + count - 1; seq++) {
    const headers = [{}, { correlationId: CORRELATION }, { causationId: CAUSATION }, { correlationId: CORRELATION, causationId: CAUSATION }][seq % 4]!;
    const payload = seq % 3 === 0 ? new Uint8Array([0xc1, seq & 0xff]) : Uint8Array.from(encode({ orderId: `O-${seq}-${'x'.repeat(seq % 90)}` }).payload);
    const draft = {
      headers,
      topic: `events.order.Ö-${seq % 5}`,
      payloadType: seq % 7 === 0 ? 'OrderAccepted' : 'OrderFilled',
      payload,
      tsInit: 2n ** 63n + BigInt(seq),
      indexKeys: [],
    };
    entries.push(buildEntry(draft, seq, 1000n + BigInt(seq)));
  }
  const last = firstSeq + count - 1;
  entries.push(buildEntry(runEndedDraft(5000n), last, 6000n));
  return entries;
}

/** The entries as a store's read path returns them: decoded and hash-checked from records laid side by side in one block. */
function asReadFromBlock(entries: readonly EventStoreEntry[]): EventStoreEntry[] {
  const records = entries.map((entry) => encodeEntry(entry));
  const block = new Uint8Array(records.reduce((total, record) => total + record.length, 0));
  let at = 0;
  return records.map((record, index) => {
    block.set(record, at);
    at += record.length;
    return decodeCheckedEntry(block.subarray(at - record.length, at), entries[index]!.seq);
  });
}

function columnValues(table: Table): Record<string, unknown[]> {
  const values: Record<string, unknown[]> = {};
  for (const name of EXPORT_COLUMNS) {
    values[name] = Array.from(table.getChild(name)!, (value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value));
  }
  return values;
}

function expectSameColumns(entries: readonly EventStoreEntry[], built: Table, indexKeys: ReadonlyMap<number, string>, decode: 'none' | 'msgpack') {
  const expected = entriesToArrowTable(entries, { decoders: payloadDecodersFor(decode), indexKeys });
  expect(built.schema.fields.map((field) => `${field.name}:${field.type}`)).toEqual(expected.schema.fields.map((field) => `${field.name}:${field.type}`));
  expect(built.numRows).toBe(entries.length);
  expect(columnValues(built)).toEqual(columnValues(expected));
}

describe('Parquet export records', () => {
  const indexKeys = new Map([
    [12, 'client_order_id:O-12'],
    [30, 'client_order_id:O-30,venue_order_id:V-30'],
  ]);

  test.each(['none', 'msgpack'] as const)('columns from the records of entries read from blocks equal columns from the entries (decode %s)', (decode) => {
    const entries = [...asReadFromBlock(sampleEntries(10, 20)), ...asReadFromBlock(sampleEntries(30, 25).slice(0, 24))];
    const gathered = new EntryRecordsBuilder(8);
    for (const entry of entries) gathered.add(entry);
    const records = gathered.take();
    expect(records).toMatchObject({ firstSeq: 10, count: entries.length });
    expectSameColumns(entries, new RecordColumnsBuilder({ decoders: payloadDecodersFor(decode), indexKeys }, 8).toTable(records), indexKeys, decode);
  });

  test('entries that are not views into their record are encoded again, with the same columns', () => {
    const entries = sampleEntries(1, 40);
    const gathered = new EntryRecordsBuilder(64);
    for (const entry of entries) gathered.add(entry);
    const columns = new RecordColumnsBuilder({ decoders: payloadDecodersFor('msgpack'), indexKeys }, 64);
    expectSameColumns(entries, columns.toTable(gathered.take()), indexKeys, 'msgpack');
  });

  test('buffers handed back and columns reused for the next batch still give that batch exactly', () => {
    const gathered = new EntryRecordsBuilder(16);
    const columns = new RecordColumnsBuilder({ decoders: payloadDecodersFor('none'), indexKeys }, 16);
    const first = asReadFromBlock(sampleEntries(1, 30));
    for (const entry of first) gathered.add(entry);
    const firstRecords = gathered.take();
    expectSameColumns(first, columns.toTable(firstRecords), indexKeys, 'none');
    gathered.recycle(firstRecords.bytes.buffer as ArrayBuffer, firstRecords.offsets.buffer as ArrayBuffer);
    // The batch being gathered when the buffers come back already has its own; the one after it reuses them.
    const second = asReadFromBlock(sampleEntries(31, 9));
    for (const entry of second) gathered.add(entry);
    expectSameColumns(second, columns.toTable(gathered.take()), indexKeys, 'none');
    const third = sampleEntries(40, 12);
    for (const entry of third) gathered.add(entry);
    const thirdRecords = gathered.take();
    expect(thirdRecords.bytes.buffer).toBe(firstRecords.bytes.buffer);
    expectSameColumns(third, columns.toTable(thirdRecords), indexKeys, 'none');
  });

  test('a batch built after a later one still finds its index keys', () => {
    const columns = new RecordColumnsBuilder({ decoders: payloadDecodersFor('none'), indexKeys }, 64);
    const later = asReadFromBlock(sampleEntries(25, 10));
    const earlier = asReadFromBlock(sampleEntries(5, 10));
    for (const batch of [later, earlier, later]) {
      const gathered = new EntryRecordsBuilder(16);
      for (const entry of batch) gathered.add(entry);
      expectSameColumns(batch, columns.toTable(gathered.take()), indexKeys, 'none');
    }
  });

  test('entries out of seq order are refused', () => {
    const [first, second, third] = sampleEntries(1, 3);
    const gathered = new EntryRecordsBuilder(4);
    gathered.add(first!);
    expect(() => gathered.add(third!)).toThrow(RangeError);
    gathered.add(second!);
    expect(gathered.count).toBe(2);
  });

  test('records that do not hold the seqs or lengths they claim are refused, not exported', () => {
    const entries = asReadFromBlock(sampleEntries(1, 5));
    const columns = new RecordColumnsBuilder({ decoders: payloadDecodersFor('none'), indexKeys }, 8);
    const take = () => {
      const gathered = new EntryRecordsBuilder(8);
      for (const entry of entries) gathered.add(entry);
      return gathered.take();
    };
    const shifted = take();
    shifted.firstSeq = 2;
    expect(() => columns.toTable(shifted)).toThrow(
      expect.objectContaining({ constructor: Error, message: expect.stringMatching(/seq 2 is inconsistent: the record holds seq 1/) }),
    );
    const cut = take();
    cut.offsets[3] = cut.offsets[3]! - 1;
    expect(() => columns.toTable(cut)).toThrow(expect.objectContaining({ constructor: Error, message: expect.stringMatching(/is inconsistent/) }));
    const unframed = take();
    unframed.bytes[unframed.offsets[4]!] = 0;
    expect(() => columns.toTable(unframed)).toThrow(
      expect.objectContaining({ constructor: Error, message: expect.stringMatching(/seq 5 is inconsistent: no record frame/) }),
    );
  });
});
