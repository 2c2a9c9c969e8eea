import { describe, expect, test } from 'vitest';
import { hashReserved, inputMemory, inputView, reserveInput } from '../src/blake3.js';
import {
  buildEntry,
  computeEntryHash,
  computeEntryRecordHash,
  decodeCheckedEntry,
  decodeEntry,
  type EventStoreEntry,
  encodeEntry,
  type Headers,
  TapelogError,
  toHex,
  uuid4FromRawBytes,
} from '../src/index.js';

/** mulberry32: a small seeded generator, so a failure can be replayed from its seed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const U64_EDGES = [0n, 1n, 0xffffffffn, 0x100000000n, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n];
const SEQ_EDGES = [0, 1, 0xffffffff, 0x100000000, Number.MAX_SAFE_INTEGER];
/** ASCII, two-, three- and four-byte UTF-8 sequences. */
const TEXT_PIECES = ['a', 'Z', '0', '.', '-', '_', 'é', 'ß', 'Ω', '€', '日', '本', '🚀', '𝄞'];

function randomText(random: () => number): string {
  const long = random() < 0.1;
  const count = Math.floor(random() * (long ? 120 : 24));
  let text = '';
  for (let i = 0; i < count; i++) text += TEXT_PIECES[Math.floor(random() * (random() < 0.7 ? 6 : TEXT_PIECES.length))];
  return text;
}

function randomU64(random: () => number): bigint {
  if (random() < 0.25) return U64_EDGES[Math.floor(random() * U64_EDGES.length)]!;
  return (BigInt(Math.floor(random() * 4294967296)) << 32n) | BigInt(Math.floor(random() * 4294967296));
}

function randomSeq(random: () => number): number {
  if (random() < 0.25) return SEQ_EDGES[Math.floor(random() * SEQ_EDGES.length)]!;
  return Math.floor(random() * 2 ** 21) * 2 ** 32 + Math.floor(random() * 2 ** 32);
}

function randomUuid(random: () => number): string {
  return uuid4FromRawBytes(Uint8Array.from({ length: 16 }, () => Math.floor(random() * 256)));
}

function randomEntry(random: () => number): EventStoreEntry {
  const headers: Headers = {};
  if (random() < 0.5) headers.correlationId = randomUuid(random);
  if (random() < 0.5) headers.causationId = randomUuid(random);
  const edge = random();
  const payloadLength = edge < 0.05 ? 0 : edge < 0.1 ? 4096 : Math.floor(random() * 4097);
  const payload = Uint8Array.from({ length: payloadLength }, () => Math.floor(random() * 256));
  const draft = { headers, topic: randomText(random), payloadType: randomText(random), payload, tsInit: randomU64(random), indexKeys: [] };
  return buildEntry(draft, randomSeq(random), randomU64(random));
}

function randomEntries(seed: number, count: number): EventStoreEntry[] {
  const random = generator(seed);
  return Array.from({ length: count }, () => randomEntry(random));
}

function caught(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

function expectCode(action: () => unknown, codes: string[], message?: RegExp): void {
  const error = caught(action);
  expect(TapelogError.isInstance(error), `expected a TapelogError, got ${String(error)}`).toBe(true);
  expect(codes).toContain((error as TapelogError).code);
  if (message) expect((error as Error).message).toMatch(message);
}

/** The entry with its byte fields as type name and hex, which deep equality compares quickly. */
function comparable(entry: EventStoreEntry): Record<string, unknown> {
  const bytes = (value: Uint8Array) => ({ type: value.constructor.name, hex: toHex(value) });
  return { ...entry, entryHash: bytes(entry.entryHash), payload: bytes(entry.payload) };
}

/** An entry with the given topic, encoded; the record's stored hash is the real one. */
function recordWithTopic(topic: string, payloadType = 'Quote'): Uint8Array {
  return encodeEntry(buildEntry({ headers: {}, topic, payloadType, payload: new Uint8Array([1, 2, 3]), tsInit: 5n, indexKeys: [] }, 9, 6n));
}

describe('entry hash from record bytes', () => {
  test('matches computeEntryHash for thousands of random entries (seed 20240601)', () => {
    for (const entry of randomEntries(20240601, 3000)) {
      const bytes = encodeEntry(entry);
      const fromBytes = toHex(computeEntryRecordHash(bytes));
      expect(fromBytes).toBe(toHex(entry.entryHash));
      expect(fromBytes).toBe(toHex(computeEntryHash(decodeEntry(bytes))));
    }
  });

  test('reproduces the known vectors V1 and V2 from a stored record', () => {
    const v1 = {
      entryHash: new Uint8Array(32),
      seq: 42,
      headers: {},
      topic: 'exec.command',
      payloadType: 'SubmitOrder',
      payload: new Uint8Array([1, 2, 3]),
      tsInit: 1_700_000_000_000_000_000n,
      tsPublish: 1_700_000_000_000_000_001n,
    };
    expect(toHex(computeEntryRecordHash(encodeEntry(v1)))).toBe('06b08d9615241ccdee4c21303e8d5a21682ceb085eb4eaf170365c700836e620');
    const correlationId = uuid4FromRawBytes(Uint8Array.from({ length: 16 }, (_, i) => i + 1));
    const causationId = uuid4FromRawBytes(Uint8Array.from({ length: 16 }, (_, i) => i + 17));
    const v2 = { ...v1, headers: { correlationId, causationId } };
    expect(toHex(computeEntryRecordHash(encodeEntry(v2)))).toBe('69be87a947cbfb61dd445908ae5825ada0b679bb3c9dd7e8cb14dcc0baf74eaa');
  });

  test('ignores the stored hash and rejects malformed records like decodeEntry', () => {
    const entry = randomEntries(7, 1)[0]!;
    const bytes = Uint8Array.from(encodeEntry(entry));
    bytes.fill(0, 5, 37);
    expect(toHex(computeEntryRecordHash(bytes))).toBe(toHex(entry.entryHash));
    expectCode(() => computeEntryRecordHash(bytes.subarray(0, bytes.length - 1)), ['CORRUPTED'], /decode entry: encoded length/);
  });

  test('stays correct when a payload makes WebAssembly memory grow', () => {
    const big = new Uint8Array(16 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big[i] = i & 0xff;
    const large = buildEntry({ headers: {}, topic: 'big', payloadType: 'Blob', payload: big, tsInit: 1n, indexKeys: [] }, 1, 2n);
    expect(decodeCheckedEntry(encodeEntry(large), 1).payload.length).toBe(big.length);
    for (const entry of randomEntries(99, 50)) expect(toHex(decodeCheckedEntry(encodeEntry(entry), entry.seq).entryHash)).toBe(toHex(entry.entryHash));
  });
});

describe('decodeCheckedEntry', () => {
  test('returns what decodeEntry returns, equal to the encoded entry, for random entries (seed 8675309)', () => {
    for (const entry of randomEntries(8675309, 3000)) {
      const bytes = encodeEntry(entry);
      const checked = decodeCheckedEntry(bytes, entry.seq);
      expect(comparable(checked)).toStrictEqual(comparable(decodeEntry(bytes)));
      expect(checked.seq).toBe(entry.seq);
      expect(checked.headers).toEqual(entry.headers);
      expect(checked.topic).toBe(entry.topic);
      expect(checked.payloadType).toBe(entry.payloadType);
      expect(checked.tsInit).toBe(entry.tsInit);
      expect(checked.tsPublish).toBe(entry.tsPublish);
      expect(toHex(checked.payload)).toBe(toHex(entry.payload));
      expect(toHex(checked.entryHash)).toBe(toHex(entry.entryHash));
    }
    // 3,000 entries with many expectations each: generous under a loaded machine.
  }, 60_000);

  test('plain Uint8Array records decode like Buffer records', () => {
    for (const entry of randomEntries(31337, 200)) {
      const buffer = encodeEntry(entry);
      const plain = Uint8Array.from(buffer);
      const fromPlain = decodeCheckedEntry(plain, entry.seq);
      expect({ ...fromPlain, entryHash: toHex(fromPlain.entryHash), payload: toHex(fromPlain.payload) }).toEqual({
        ...decodeCheckedEntry(buffer, entry.seq),
        entryHash: toHex(entry.entryHash),
        payload: toHex(entry.payload),
      });
    }
  });

  test('a single-byte change anywhere in a record is CORRUPTED or HASH_MISMATCH, never an entry', () => {
    const random = generator(4242);
    for (const entry of randomEntries(4242, 60)) {
      const bytes = encodeEntry(entry);
      // Every byte before the payload and its first 16 bytes, then 64 random payload positions.
      const payloadStart = bytes.length - entry.payload.length;
      const positions = Array.from({ length: Math.min(bytes.length, payloadStart + 16) }, (_, i) => i);
      for (let i = 0; i < 64 && entry.payload.length > 16; i++) positions.push(payloadStart + 16 + Math.floor(random() * (entry.payload.length - 16)));
      for (const position of positions) {
        const copy = Uint8Array.from(bytes);
        copy[position] = copy[position]! ^ (1 + Math.floor(random() * 255));
        expectCode(() => decodeCheckedEntry(copy, entry.seq), ['CORRUPTED', 'HASH_MISMATCH']);
      }
    }
  });

  test('a wrong stored hash is HASH_MISMATCH naming the seq; a malformed record is CORRUPTED first', () => {
    const entry = randomEntries(5, 1)[0]!;
    const bytes = Uint8Array.from(encodeEntry(entry));
    bytes[5 + 31] = bytes[5 + 31]! ^ 0x80;
    const error = caught(() => decodeCheckedEntry(bytes, 77)) as TapelogError;
    expect(error.code).toBe('HASH_MISMATCH');
    expect(error.seq).toBe(77);
    const trailing = new Uint8Array(bytes.length + 2);
    trailing.set(bytes);
    expectCode(() => decodeCheckedEntry(trailing, 77), ['CORRUPTED'], /^corrupted run: decode entry seq=77: 2 unconsumed trailing byte\(s\)$/);
  });

  test('every hardening case names the seq: truncation, magic, version, flags, UUIDs, UTF-8, length claims, seq range', () => {
    const withHeaders = encodeEntry(
      buildEntry(
        {
          headers: { correlationId: uuid4FromRawBytes(new Uint8Array(16).fill(1)), causationId: uuid4FromRawBytes(new Uint8Array(16).fill(2)) },
          topic: 'md.quote',
          payloadType: 'Quote',
          payload: new Uint8Array(10),
          tsInit: 3n,
          indexKeys: [],
        },
        12,
        4n,
      ),
    );
    for (let length = 0; length < withHeaders.length; length++) {
      expectCode(() => decodeCheckedEntry(withHeaders.subarray(0, length), 12), ['CORRUPTED'], /decode entry seq=12: /);
    }
    const cases: Array<[(bytes: Uint8Array, view: DataView) => void, RegExp]> = [
      [(bytes) => (bytes[1] = 0), /seq=12: bad magic/],
      [(bytes) => (bytes[4] = 9), /seq=12: unsupported record version 9/],
      [(bytes) => (bytes[5 + 32 + 24] = 0x07), /seq=12: invalid header flags 0x7/],
      [(bytes) => (bytes[5 + 32 + 24 + 1 + 6] = 0x14), /seq=12: correlationId is not a version-4 UUID/],
      [(bytes) => (bytes[5 + 32 + 24 + 1 + 16 + 8] = 0x00), /seq=12: causationId is not a version-4 UUID/],
      [(bytes) => (bytes[5 + 32 + 24 + 33 + 4] = 0xc3), /seq=12: invalid utf-8 in topic/],
      [(_, view) => view.setUint32(5 + 32 + 24 + 33, 0xfffffff0, true), /seq=12: encoded length 4294967280 exceeds remaining input/],
      [(_, view) => view.setUint32(5 + 32 + 4, 0x00200000, true), /seq=12: seq exceeds the safe integer range/],
    ];
    for (const [damage, message] of cases) {
      const bytes = Uint8Array.from(withHeaders);
      damage(bytes, new DataView(bytes.buffer));
      expectCode(() => decodeCheckedEntry(bytes, 12), ['CORRUPTED'], message);
    }
  });

  test('the entry hash and payload are views into the record, not copies', () => {
    const bytes = Uint8Array.from(encodeEntry(randomEntries(11, 1)[0]!));
    const entry = decodeCheckedEntry(bytes, decodeEntry(bytes).seq);
    expect(entry.entryHash.buffer).toBe(bytes.buffer);
    expect(entry.entryHash.byteOffset).toBe(5);
    expect(entry.payload.buffer).toBe(bytes.buffer);
  });
});

describe('decoded topic and payload type texts', () => {
  test('never alias a reused input buffer', () => {
    for (const [first, second] of [
      ['md.quote.AAA1', 'md.quote.AAA2'],
      ['日本.é1', '日本.é2'],
    ]) {
      const bytes = Uint8Array.from(recordWithTopic(first!));
      expect(decodeEntry(bytes).topic).toBe(first);
      const topicStart = 5 + 32 + 24 + 1 + 4;
      bytes.set(new TextEncoder().encode(second!), topicStart);
      expect(decodeEntry(bytes).topic).toBe(second);
      expect(decodeEntry(bytes).payloadType).toBe('Quote');
    }
  });

  test('many distinct, repeating and alternating texts decode exactly', () => {
    const random = generator(777);
    const topics = Array.from({ length: 3000 }, (_, i) => `${randomText(random)}.${i}`);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < topics.length; i += 1 + round) {
        const topic = topics[i]!;
        const payloadType = i % 2 === 0 ? 'OrderFilled' : `Type${i % 7}`;
        const decoded = decodeEntry(recordWithTopic(topic, payloadType));
        expect(decoded.topic).toBe(topic);
        expect(decoded.payloadType).toBe(payloadType);
      }
    }
  });

  test('invalid UTF-8 is CORRUPTED even right after the same bytes decoded validly elsewhere', () => {
    const valid = Uint8Array.from(recordWithTopic('é'));
    expect(decodeEntry(valid).topic).toBe('é');
    const invalid = Uint8Array.from(valid);
    invalid[5 + 32 + 24 + 1 + 4 + 1] = 0x28; // 0xc3 0x28: a lead byte without its continuation
    expectCode(() => decodeEntry(invalid), ['CORRUPTED'], /invalid utf-8 in topic/);
    expect(decodeEntry(valid).topic).toBe('é');
  });

  test('empty and long texts (beyond the cached length) round-trip', () => {
    for (const topic of ['', 'x'.repeat(64), 'y'.repeat(65), '日'.repeat(200)]) {
      const bytes = recordWithTopic(topic, topic);
      const decoded = decodeCheckedEntry(bytes, 9);
      expect(decoded.topic).toBe(topic);
      expect(decoded.payloadType).toBe(topic);
    }
  });
});

describe('WebAssembly memory access', () => {
  test('the byte and DataView views follow a growth of WebAssembly memory, whichever is asked for first', () => {
    const size = inputMemory().length + 1024 * 1024;
    const ptr = reserveInput(size);
    const view = inputView();
    expect(view.byteLength).toBeGreaterThanOrEqual(ptr + size);
    view.setUint32(ptr + size - 4, 0x01020304);
    expect(Array.from(inputMemory().subarray(ptr + size - 4, ptr + size))).toEqual([1, 2, 3, 4]);
    hashReserved(ptr, size);
  });
});
