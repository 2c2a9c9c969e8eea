import { describe, expect, test } from 'vitest';
import {
  buildEntry,
  decodeAnchor,
  decodeCheckedEntry,
  decodeEntry,
  decodeManifest,
  decodeRecord,
  type EventStoreEntry,
  encodeAnchor,
  encodeEntry,
  encodeManifest,
  encodeRecord,
  MANIFEST_RECORD_VERSION,
  newManifest,
  type RunManifest,
  TapelogError,
  toHex,
} from '../src/index.js';

function sampleEntry(headers = true): EventStoreEntry {
  return buildEntry(
    {
      headers: headers ? { correlationId: '01020304-0506-4708-890a-0b0c0d0e0f10', causationId: '11121314-1516-4718-991a-1b1c1d1e1f20' } : {},
      topic: 'exec.command.SubmitOrder',
      payloadType: 'SubmitOrder',
      payload: new Uint8Array([1, 2, 3, 4, 5]),
      tsInit: 1_700_000_000_000_000_000n,
      indexKeys: [],
    },
    42,
    1_700_000_000_000_000_001n,
  );
}

const SEALED: RunManifest = newManifest({
  runId: '1700000010-cafe1234',
  parentRunId: '1700000000-abcd1234',
  instanceId: 'trader-001',
  binaryHash: 'deadbeef',
  schemaVersion: 2,
  packageVersions: 'feedface',
  featureFlags: ['live', 'persistence'],
  adapterVersions: { binance: '1.2.3', okx: '2.3.4' },
  configHash: 'cafebabe',
  registeredComponents: {
    actors: { 'actor-1': 'hash-a' },
    strategies: { 'strategy-1': 'hash-s' },
    algorithms: { 'algo-1': 'hash-g' },
    subscriptions: ['data.quotes'],
    endpoints: ['exec.command'],
  },
  seed: 7n,
  startTsInit: 10n,
  endTsInit: 20n,
  highWatermark: 99,
  status: 'Ended',
  chainHead: 'ab'.repeat(32),
});

function expectCorrupted(action: () => unknown, pattern?: RegExp): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(TapelogError.hasCode(caught, 'CORRUPTED'), `expected CORRUPTED, got ${String(caught)}`).toBe(true);
  if (pattern) expect((caught as Error).message).toMatch(pattern);
}

describe('entry codec', () => {
  for (const headers of [false, true]) {
    test(`round-trips an entry ${headers ? 'with' : 'without'} headers and its hash still verifies`, () => {
      const entry = sampleEntry(headers);
      const decoded = decodeCheckedEntry(encodeEntry(entry), 42);
      expect(decoded.seq).toBe(42);
      expect(decoded.headers).toEqual(entry.headers);
      expect(decoded.topic).toBe(entry.topic);
      expect(Array.from(decoded.payload)).toEqual([1, 2, 3, 4, 5]);
      expect(decoded.tsInit).toBe(entry.tsInit);
      expect(decoded.tsPublish).toBe(entry.tsPublish);
      expect(toHex(decoded.entryHash)).toBe(toHex(entry.entryHash));
    });
  }

  test('encoding is deterministic and starts with the TLOG frame', () => {
    const a = encodeEntry(sampleEntry());
    const b = encodeEntry(sampleEntry());
    expect(toHex(a)).toBe(toHex(b));
    expect(toHex(a.subarray(0, 5))).toBe('544c4f4701');
  });

  test('encoding rejects timestamps outside [0, 2^64) instead of wrapping them', () => {
    const entry = sampleEntry(false);
    expect(() => encodeEntry({ ...entry, tsInit: -1n })).toThrow(RangeError);
    expect(() => encodeEntry({ ...entry, tsPublish: 1n << 64n })).toThrow(RangeError);
    expect(decodeEntry(encodeEntry({ ...entry, tsInit: (1n << 64n) - 1n })).tsInit).toBe((1n << 64n) - 1n);
  });

  test('a stored hash that does not match is HASH_MISMATCH naming the seq', () => {
    const entry = { ...sampleEntry(), payload: new Uint8Array([9]) };
    let caught: unknown;
    try {
      decodeCheckedEntry(encodeEntry(entry), 42);
    } catch (error) {
      caught = error;
    }
    expect(TapelogError.hasCode(caught, 'HASH_MISMATCH')).toBe(true);
    expect((caught as TapelogError).seq).toBe(42);
  });

  test('truncation at every byte offset is CORRUPTED', () => {
    const bytes = encodeEntry(sampleEntry());
    for (let length = 0; length < bytes.length; length++) expectCorrupted(() => decodeEntry(bytes.subarray(0, length)));
  });

  test('bad magic, unknown version and trailing bytes are CORRUPTED', () => {
    const bytes = encodeEntry(sampleEntry());
    const badMagic = Uint8Array.from(bytes);
    badMagic[0] = badMagic[0]! ^ 0xff;
    expectCorrupted(() => decodeEntry(badMagic), /bad magic/);
    const badVersion = Uint8Array.from(bytes);
    badVersion[4] = 2;
    expectCorrupted(() => decodeEntry(badVersion), /unsupported record version 2/);
    const trailing = new Uint8Array(bytes.length + 1);
    trailing.set(bytes);
    expectCorrupted(() => decodeEntry(trailing), /1 unconsumed trailing byte/);
    expectCorrupted(() => decodeEntry(new Uint8Array(8).fill(0xff)), /bad magic/);
    expectCorrupted(() => decodeEntry(new TextEncoder().encode('\nold-format')), /bad magic/);
  });

  test('a length prefix claiming gigabytes is CORRUPTED without allocating', () => {
    const bytes = encodeEntry(sampleEntry(false));
    const topicLengthOffset = 5 + 32 + 24 + 1;
    const forged = Uint8Array.from(bytes);
    new DataView(forged.buffer).setUint32(topicLengthOffset, 0xffffffff, true);
    const before = process.memoryUsage().arrayBuffers;
    expectCorrupted(() => decodeEntry(forged), /exceeds remaining input/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
    const payloadForged = Uint8Array.from(bytes);
    const payloadLengthOffset = bytes.length - 5 - 4;
    new DataView(payloadForged.buffer).setUint32(payloadLengthOffset, 0xfffffff0, true);
    expectCorrupted(() => decodeEntry(payloadForged), /exceeds remaining input/);
  });

  test('invalid header flags, non-version-4 header bytes and invalid UTF-8 are CORRUPTED', () => {
    const plain = encodeEntry(sampleEntry(false));
    const flags = Uint8Array.from(plain);
    flags[5 + 32 + 24] = 0x04;
    expectCorrupted(() => decodeEntry(flags), /header flags/);
    const withHeaders = Uint8Array.from(encodeEntry(sampleEntry(true)));
    withHeaders[5 + 32 + 24 + 1 + 6] = 0x10;
    expectCorrupted(() => decodeEntry(withHeaders), /version-4/);
    const badText = Uint8Array.from(plain);
    badText[5 + 32 + 24 + 1 + 4] = 0xff;
    expectCorrupted(() => decodeEntry(badText), /utf-8/);
  });

  test('a seq beyond the safe integer range is CORRUPTED', () => {
    const bytes = Uint8Array.from(encodeEntry(sampleEntry(false)));
    new DataView(bytes.buffer).setUint32(5 + 32 + 4, 0xffffffff, true);
    expectCorrupted(() => decodeEntry(bytes), /safe integer/);
  });

  test('decodeCheckedEntry names the seq of an undecodable row', () => {
    expectCorrupted(() => decodeCheckedEntry(new Uint8Array(8).fill(0xff), 7), /decode entry seq=7: bad magic/);
  });

  test('random byte flips never crash and never return a different entry as valid', () => {
    const original = sampleEntry();
    const bytes = encodeEntry(original);
    let state = 12345;
    for (let round = 0; round < 2000; round++) {
      state = (state * 1103515245 + 12345) >>> 0;
      const copy = Uint8Array.from(bytes);
      const position = state % copy.length;
      copy[position] = copy[position]! ^ (1 + ((state >>> 8) % 255));
      try {
        const decoded = decodeCheckedEntry(copy, 42);
        // Only flips that decode to the identical entry may pass (e.g. none, in practice).
        expect(toHex(encodeEntry(decoded))).toBe(toHex(bytes));
      } catch (error) {
        expect(TapelogError.isInstance(error)).toBe(true);
        expect(['CORRUPTED', 'HASH_MISMATCH']).toContain((error as TapelogError).code);
      }
    }
  });
});

describe('record codec', () => {
  test('manifests round-trip, including optional fields, ordered maps and bigints', () => {
    const decoded = decodeManifest(encodeManifest(SEALED));
    expect(decoded).toEqual(SEALED);
    expect(Object.keys(decoded.adapterVersions)).toEqual(['binance', 'okx']);
    const running = newManifest({ runId: '1700000000-abcd1234', instanceId: 'trader-001', startTsInit: 10n });
    const back = decodeManifest(encodeManifest(running));
    expect(back.endTsInit).toBeUndefined();
    expect(back.seed).toBeUndefined();
    expect(back.parentRunId).toBeUndefined();
    expect(back.chainHead).toBeUndefined();
  });

  test('huge values survive: a 2^63 timestamp and a hwm above 2^32', () => {
    const big = { ...SEALED, startTsInit: (1n << 63n) + 5n, highWatermark: 2 ** 40 + 3 };
    const decoded = decodeManifest(encodeManifest(big));
    expect(decoded.startTsInit).toBe((1n << 63n) + 5n);
    expect(decoded.highWatermark).toBe(2 ** 40 + 3);
  });

  test('manifest encoding is deterministic', () => {
    expect(toHex(encodeManifest(SEALED))).toBe(toHex(encodeManifest({ ...SEALED })));
  });

  test('anchors round-trip', () => {
    const anchor = { highWatermark: 10, blobRef: 'cache://run/10', contentHash: 'blake3:abcd' };
    expect(decodeAnchor(encodeAnchor(anchor))).toEqual(anchor);
  });

  test('truncation at every byte offset of a manifest is CORRUPTED', () => {
    const bytes = encodeManifest(SEALED);
    for (let length = 0; length < bytes.length; length++) expectCorrupted(() => decodeManifest(bytes.subarray(0, length)));
  });

  test('wrong field types are CORRUPTED naming the field', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...encodeShape(SEALED), status: 'Paused' }, /status/],
      [{ ...encodeShape(SEALED), highWatermark: -1 }, /highWatermark/],
      [{ ...encodeShape(SEALED), highWatermark: 1.5 }, /highWatermark/],
      [{ ...encodeShape(SEALED), runId: 7 }, /runId/],
      [{ ...encodeShape(SEALED), featureFlags: ['ok', 3] }, /featureFlags/],
      [{ ...encodeShape(SEALED), adapterVersions: { a: 1 } }, /adapterVersions/],
      [{ ...encodeShape(SEALED), startTsInit: 'soon' }, /startTsInit/],
      [{ ...encodeShape(SEALED), chainHead: 'xyz' }, /chainHead/],
      [{ ...encodeShape(SEALED), registeredComponents: [] }, /registeredComponents/],
    ];
    for (const [shape, pattern] of cases) expectCorrupted(() => decodeManifest(encodeRecord(shape)), pattern);
    expectCorrupted(() => decodeManifest(encodeRecord([1, 2, 3])), /expected a map/);
    expectCorrupted(() => decodeAnchor(encodeRecord({ highWatermark: 'x', blobRef: 'b', contentHash: 'c' })), /decode snapshot anchor/);
  });

  test('MessagePack length claims beyond the input are CORRUPTED without allocating', () => {
    // array32 claiming 2^32-1 elements, str32 claiming 4 GiB, map32 claiming 2^32-1 pairs.
    for (const body of [
      [0xdd, 0xff, 0xff, 0xff, 0xff],
      [0xdb, 0xff, 0xff, 0xff, 0xff, 0x61],
      [0xdf, 0xff, 0xff, 0xff, 0xff],
    ]) {
      const framed = new Uint8Array([0x54, 0x4c, 0x4f, 0x47, 0x01, ...body]);
      expectCorrupted(() => decodeRecord(framed, 'decode manifest'), /decode manifest/);
    }
    const trailing = new Uint8Array([...encodeAnchor({ highWatermark: 1, blobRef: 'b', contentHash: 'c' }), 0xc0]);
    expectCorrupted(() => decodeAnchor(trailing));
  });

  test('a __proto__ key in a record is CORRUPTED, never a polluted prototype', () => {
    const body = [0x81, 0xa9, ...new TextEncoder().encode('__proto__'), 0x80];
    expectCorrupted(() => decodeRecord(new Uint8Array([0x54, 0x4c, 0x4f, 0x47, 0x01, ...body]), 'decode manifest'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

function encodeShape(manifest: RunManifest): Record<string, unknown> {
  return decodeRecord(encodeManifest(manifest), 'test', [MANIFEST_RECORD_VERSION]) as Record<string, unknown>;
}
