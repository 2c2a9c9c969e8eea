/** Variable-width export columns: hex text is the same whether a row starts on an even or an odd byte. */
import { describe, expect, test } from 'vitest';
import { VariableWidthColumn } from '../src/arrow-columns.js';

describe('VariableWidthColumn', () => {
  test('hex rows read back as lowercase hex after rows of odd and even lengths, across growth of the value buffer', () => {
    const bytes = Uint8Array.from({ length: 40 }, (_, index) => (index * 37 + 5) & 0xff);
    const expected = Buffer.from(bytes).toString('hex');
    const column = new VariableWidthColumn(12, 1);
    const rows: string[] = [];
    for (const prefix of ['', 'x', 'xyz', 'ab']) {
      column.appendText(prefix);
      column.appendHexRange(bytes, 0, bytes.length);
      column.appendHex(bytes.subarray(3, 7));
      rows.push(prefix, expected, expected.slice(6, 14));
    }
    expect(Array.from(column.toUtf8())).toEqual(rows);
  });
});
