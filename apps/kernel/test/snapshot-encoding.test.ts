import { decodeMsgpackPayload } from '@tapelog/capture';
import { describe, expect, it } from 'vitest';
import { encodeFields, type Fields, mapWithEncodedArray, RecordEncodings } from '../src/snapshot-encoding.js';

interface Row {
  id: string;
  quantity: bigint;
  note: string | undefined;
}

const rowFields = (row: Row): Fields =>
  row.note === undefined ? { id: row.id, quantity: row.quantity } : { id: row.id, quantity: row.quantity, note: row.note };

describe('snapshot encoding', () => {
  it('assembles the same bytes as encoding the whole map, across every array header width', () => {
    for (const count of [0, 1, 15, 16, 0xffff, 0x10000]) {
      const records = Array.from({ length: count }, (_, i) => ({ id: `R-${i}`, quantity: BigInt(i) }));
      const leading = { format: 'test/v1', lastTsInit: 5n, fills: 3 };
      const trailing = { positions: [{ id: 'P' }], accounts: [] };
      const whole = encodeFields({ ...leading, orders: records, ...trailing }).payload;
      const assembled = mapWithEncodedArray(
        leading,
        'orders',
        records.map((record) => encodeFields(record).payload),
        trailing,
      );
      expect(Buffer.from(assembled).equals(Buffer.from(whole))).toBe(true);
    }
  });

  it('reuses a record encoding while its fields are unchanged and encodes it again when one changes', () => {
    const encodings = new RecordEncodings<Row>(['id', 'quantity', 'note'], rowFields);
    const row: Row = { id: 'O-1', quantity: 10n, note: undefined };
    const first = encodings.bytesOf(row.id, row);
    expect(encodings.bytesOf(row.id, { ...row })).toBe(first);
    row.quantity = 11n;
    const second = encodings.bytesOf(row.id, row);
    expect(decodeMsgpackPayload(second)).toEqual({ id: 'O-1', quantity: 11n });
    row.note = 'late';
    expect(decodeMsgpackPayload(encodings.bytesOf(row.id, row))).toEqual({ id: 'O-1', quantity: 11n, note: 'late' });
    encodings.clear();
    expect(encodings.bytesOf(row.id, row)).not.toBe(second);
    expect(decodeMsgpackPayload(first)).toEqual({ id: 'O-1', quantity: 10n });
  });

  it('refuses a map too wide for its one-byte header', () => {
    const wide = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`f${i}`, i]));
    expect(() => mapWithEncodedArray(wide, 'orders', [], {})).toThrow(RangeError);
  });
});
