/**
 * Index row values are ASCII text (`<seq>:<16 hex digits of checksum>`), readable as strings
 * without a native buffer per row; anything but the exact canonical text for that key is refused.
 */
import { describe, expect, test } from 'vitest';
import { indexKey } from '../src/keys.js';
import { decodeIndexValue, encodeIndexValue } from '../src/row-checksum.js';

describe('index row values', () => {
  const rowKey = indexKey('client_order_id', 'O-42 ✓');

  test('round trip from bytes and from the text read back, with the key as bytes or as text', () => {
    for (const seq of [0, 1, 42, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER]) {
      const value = encodeIndexValue(rowKey, seq);
      expect(value.toString('latin1')).toMatch(new RegExp(`^${seq}:[0-9a-f]{16}$`));
      expect(decodeIndexValue(rowKey, value)).toBe(seq);
      expect(decodeIndexValue(rowKey.toString('utf8'), value.toString('latin1'))).toBe(seq);
    }
  });

  test('the checksum binds the seq to its key', () => {
    const value = encodeIndexValue(rowKey, 42).toString('latin1');
    expect(decodeIndexValue(indexKey('client_order_id', 'O-43 ✓'), value)).toBeUndefined();
    expect(decodeIndexValue(rowKey, value.replace(/^42:/, '43:'))).toBeUndefined();
  });

  test('every non-canonical or damaged text is refused', () => {
    const value = encodeIndexValue(rowKey, 42).toString('latin1');
    const checksum = value.slice(3);
    for (const bad of [
      '',
      ':',
      `:${checksum}`,
      `042:${checksum}`,
      `+42:${checksum}`,
      `42.0:${checksum}`,
      `42:${checksum.toUpperCase()}`,
      `42:${checksum}0`,
      `42:${checksum.slice(1)}`,
      `42${checksum}`,
      `9007199254740992:${checksum}`,
    ]) {
      expect(decodeIndexValue(rowKey, bad), JSON.stringify(bad)).toBeUndefined();
    }
    for (let position = 0; position < value.length; position++) {
      const bytes = Buffer.from(value, 'latin1');
      bytes[position]! ^= 0x01;
      expect(decodeIndexValue(rowKey, bytes), `flip at ${position}`).toBeUndefined();
    }
  });
});
