import { describe, expect, test } from 'vitest';
import { computeEntryHash, computeSnapshotContentHash, type EntryHashFields, fromHex, toHex, uuid4FromRawBytes, verifyEntryHash } from '../src/index.js';

const V1: EntryHashFields = {
  seq: 42,
  tsInit: 1_700_000_000_000_000_000n,
  tsPublish: 1_700_000_000_000_000_001n,
  topic: 'exec.command',
  payloadType: 'SubmitOrder',
  payload: new Uint8Array([1, 2, 3]),
  headers: {},
};
const CORRELATION = uuid4FromRawBytes(Uint8Array.from({ length: 16 }, (_, i) => i + 1));
const CAUSATION = uuid4FromRawBytes(Uint8Array.from({ length: 16 }, (_, i) => i + 17));

describe('entry hash', () => {
  test('known vector V1 (no headers) reproduces', () => {
    expect(toHex(computeEntryHash(V1))).toBe('06b08d9615241ccdee4c21303e8d5a21682ceb085eb4eaf170365c700836e620');
  });

  test('known vector V2 (populated headers, normalised UUID bytes) reproduces', () => {
    expect(CORRELATION).toBe('01020304-0506-4708-890a-0b0c0d0e0f10');
    expect(CAUSATION).toBe('11121314-1516-4718-991a-1b1c1d1e1f20');
    const hash = computeEntryHash({ ...V1, headers: { correlationId: CORRELATION, causationId: CAUSATION } });
    expect(toHex(hash)).toBe('69be87a947cbfb61dd445908ae5825ada0b679bb3c9dd7e8cb14dcc0baf74eaa');
  });

  test('uppercase UUID text hashes like its canonical form', () => {
    const upper = computeEntryHash({ ...V1, headers: { correlationId: CORRELATION.toUpperCase(), causationId: CAUSATION } });
    expect(toHex(upper)).toBe('69be87a947cbfb61dd445908ae5825ada0b679bb3c9dd7e8cb14dcc0baf74eaa');
  });

  test('is deterministic', () => {
    expect(toHex(computeEntryHash(V1))).toBe(toHex(computeEntryHash({ ...V1 })));
  });

  const mutations: Array<[string, Partial<EntryHashFields>]> = [
    ['seq', { seq: 43 }],
    ['tsInit', { tsInit: V1.tsInit + 1n }],
    ['tsPublish', { tsPublish: V1.tsPublish + 1n }],
    ['topic', { topic: 'exec.commands' }],
    ['payloadType', { payloadType: 'CancelOrder' }],
    ['payload', { payload: new Uint8Array([1, 2, 4]) }],
    ['correlationId', { headers: { correlationId: CORRELATION } }],
    ['causationId', { headers: { causationId: CAUSATION } }],
  ];
  for (const [field, change] of mutations) {
    test(`changing ${field} changes the hash`, () => {
      expect(toHex(computeEntryHash({ ...V1, ...change }))).not.toBe(toHex(computeEntryHash(V1)));
    });
  }

  test('length prefixes separate topic from payload type', () => {
    const a = computeEntryHash({ ...V1, topic: 'ab', payloadType: 'c' });
    const b = computeEntryHash({ ...V1, topic: 'a', payloadType: 'bc' });
    expect(toHex(a)).not.toBe(toHex(b));
  });

  test('the correlation and causation slots are not interchangeable', () => {
    const a = computeEntryHash({ ...V1, headers: { correlationId: CORRELATION } });
    const b = computeEntryHash({ ...V1, headers: { causationId: CORRELATION } });
    expect(toHex(a)).not.toBe(toHex(b));
  });

  test('empty payloads and payloads larger than the WebAssembly page hash consistently', () => {
    const empty = computeEntryHash({ ...V1, payload: new Uint8Array(0) });
    expect(empty).toHaveLength(32);
    const big = new Uint8Array(3 * 1024 * 1024).fill(7);
    const first = toHex(computeEntryHash({ ...V1, payload: big }));
    expect(toHex(computeEntryHash({ ...V1, payload: big }))).toBe(first);
    expect(toHex(computeEntryHash(V1))).toBe('06b08d9615241ccdee4c21303e8d5a21682ceb085eb4eaf170365c700836e620');
  });

  test('rejects headers that are not version-4 UUIDs and out-of-range numbers', () => {
    expect(() => computeEntryHash({ ...V1, headers: { correlationId: 'not-a-uuid' } })).toThrow(RangeError);
    expect(() => computeEntryHash({ ...V1, headers: { causationId: '01020304-0506-1708-890a-0b0c0d0e0f10' } })).toThrow(RangeError);
    expect(() => computeEntryHash({ ...V1, seq: -1 })).toThrow(RangeError);
    expect(() => computeEntryHash({ ...V1, tsInit: 1n << 64n })).toThrow(RangeError);
    expect(toHex(computeEntryHash(V1))).toBe('06b08d9615241ccdee4c21303e8d5a21682ceb085eb4eaf170365c700836e620');
  });

  test('verifyEntryHash accepts the stored hash and rejects a tampered payload', () => {
    const entry = { ...V1, entryHash: computeEntryHash(V1) };
    expect(verifyEntryHash(entry)).toBe(true);
    expect(verifyEntryHash({ ...entry, payload: new Uint8Array([1, 2, 4]) })).toBe(false);
  });
});

describe('hex and snapshot content hash', () => {
  test('hex is lowercase, high nibble first', () => {
    expect(toHex(new Uint8Array(32).fill(0xab))).toBe('ab'.repeat(32));
    expect(toHex(fromHex('00ff10'))).toBe('00ff10');
    expect(() => fromHex('abc')).toThrow(RangeError);
  });

  test('snapshot content hash is blake3:<hex> of the plain digest', () => {
    expect(computeSnapshotContentHash(new TextEncoder().encode('snapshot'))).toBe('blake3:2d168e1ff20930e41ae0c8e9b0bfc97bba39b1afb272f6bf9b52bf30716e96a5');
    expect(computeSnapshotContentHash(new Uint8Array(0))).toBe('blake3:af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262');
  });
});
