import { describe, expect, test } from 'vitest';
import { blake3, computeIndexKindDigest, INDEX_DIGEST_DOMAIN, toHex } from '../src/index.js';

/** The digest layout written out the slow, obvious way: rows sorted by their UTF-8 bytes. */
function referenceDigest(kind: string, rows: Array<[string, number]>): string {
  const encoder = new TextEncoder();
  const compare = (a: Uint8Array, b: Uint8Array): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
  const encoded = rows.map(([key, seq]) => ({ key: encoder.encode(key), seq })).sort((a, b) => compare(a.key, b.key));
  const parts: Uint8Array[] = [encoder.encode(INDEX_DIGEST_DOMAIN)];
  const u32 = (value: number): Uint8Array => {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(value);
    return out;
  };
  const kindBytes = encoder.encode(kind);
  parts.push(u32(kindBytes.length), kindBytes);
  for (const { key, seq } of encoded) {
    const seqBytes = Buffer.alloc(8);
    seqBytes.writeBigUInt64BE(BigInt(seq));
    parts.push(u32(key.length), key, seqBytes);
  }
  return toHex(blake3(Buffer.concat(parts)));
}

describe('computeIndexKindDigest', () => {
  test('equals the documented layout over rows sorted by UTF-8 bytes, whatever order they come in', () => {
    // U+FF5E (a BMP code unit above the surrogates) sorts before U+1F600 in UTF-8, after it in UTF-16.
    const rows: Array<[string, number]> = [
      ['O-2', 2],
      ['\u{1F600}', 7],
      ['O-10', 10],
      ['\uFF5E', 3],
      ['é', 4],
      ['', 5],
      ['O-1', 2 ** 40],
    ];
    const expected = referenceDigest('client_order_id', rows);
    expect(computeIndexKindDigest('client_order_id', rows)).toEqual({ rows: rows.length, digest: expected });
    expect(computeIndexKindDigest('client_order_id', rows.slice().reverse()).digest).toBe(expected);
  });

  test('binds the kind, every key and every seq', () => {
    const rows: Array<[string, number]> = [
      ['O-1', 1],
      ['O-2', 2],
    ];
    const base = computeIndexKindDigest('client_order_id', rows).digest;
    expect(computeIndexKindDigest('venue_order_id', rows).digest).not.toBe(base);
    expect(
      computeIndexKindDigest('client_order_id', [
        ['O-1', 1],
        ['O-2', 3],
      ]).digest,
    ).not.toBe(base);
    expect(computeIndexKindDigest('client_order_id', [['O-1', 1]]).digest).not.toBe(base);
    expect(computeIndexKindDigest('client_order_id', []).rows).toBe(0);
  });
});
