import { decode, encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { MessagePackWriter } from '../src/msgpack-writer.js';
import { sampleFill, sampleSubmit } from './fixtures/messages.js';

const libraryOptions = { useBigInt64: true, ignoreUndefined: true } as const;

class WithGetter {
  constructor(readonly id: string) {}
  get derived(): string {
    return `${this.id}-derived`;
  }
}

const corpus: Array<[string, unknown]> = [
  ['an order event', sampleFill()],
  ['a command with headers', sampleSubmit()],
  [
    'every integer width',
    [
      0,
      1,
      127,
      128,
      255,
      256,
      65_535,
      65_536,
      4_294_967_295,
      4_294_967_296,
      -1,
      -32,
      -33,
      -128,
      -129,
      -32_768,
      -32_769,
      -2_147_483_648,
      -2_147_483_649,
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
    ],
  ],
  ['floats and specials', [0.5, -1.25, 1e300, Number.NaN, Number.POSITIVE_INFINITY, -0]],
  ['bigints at the edges', [0n, 1n, -1n, (1n << 64n) - 1n, -(1n << 63n), 1_700_000_000_000_000_000n]],
  ['strings of every header size', ['', 'a', 'x'.repeat(31), 'x'.repeat(32), 'x'.repeat(255), 'x'.repeat(256), 'x'.repeat(70_000)]],
  ['non-ASCII strings', ['prix €', 'naïve', '日本語', 'emoji 🎉', { clé: 'valeur' }]],
  ['nil, booleans and undefined', [null, true, false, undefined, { kept: 1, dropped: undefined }]],
  ['bytes', [new Uint8Array([1, 2, 3]), new Uint8Array(300), new Uint8Array(70_000)]],
  ['nested collections', { list: Array.from({ length: 20 }, (_, i) => ({ i })), map: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])) }],
  ['a class instance with a getter', new WithGetter('x')],
  ['a date, handed to the library', { at: new Date(1_700_000_000_000) }],
  ['other typed arrays, handed to the library', { values: new Int32Array([1, -1]) }],
];

describe('MessagePackWriter', () => {
  it.each(corpus)('writes the same bytes as @msgpack/msgpack for %s', (_case, value) => {
    const writer = new MessagePackWriter();
    const bytes = writer.encode(value);
    expect(Buffer.from(bytes).equals(Buffer.from(encode(value, libraryOptions)))).toBe(true);
  });

  it('round-trips through decode', () => {
    const fill = sampleFill();
    expect(decode(new MessagePackWriter().encode(fill), { useBigInt64: true })).toEqual({ ...fill });
  });

  it('refuses bigints outside 64 bits instead of wrapping them', () => {
    const writer = new MessagePackWriter();
    expect(() => writer.encode({ quantity: 1n << 64n })).toThrow(RangeError);
    expect(() => writer.encode(-(1n << 63n) - 1n)).toThrow(RangeError);
  });

  it('refuses Map and Set, which the library would write as empty maps', () => {
    const writer = new MessagePackWriter();
    expect(() => writer.encode({ levels: new Map([[1, 2]]) })).toThrow(TypeError);
    expect(() => writer.encode(new Set([1]))).toThrow(TypeError);
  });

  it('reports cycles with the library error rather than overflowing the stack', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    // The library's own Error, not the RangeError of an overflowed stack.
    expect(() => new MessagePackWriter().encode(cyclic)).toThrow(expect.objectContaining({ name: 'Error' }));
    expect(() => new MessagePackWriter().encode(cyclic)).not.toThrow(RangeError);
  });

  it('hands out independent immutable copies, across slab boundaries', () => {
    const writer = new MessagePackWriter();
    const payloads = Array.from({ length: 2_000 }, (_, i) => [i, writer.encode({ i, pad: 'p'.repeat(i % 200) })] as const);
    for (const [i, payload] of payloads) expect(decode(payload)).toEqual({ i, pad: 'p'.repeat(i % 200) });
  });

  it('is not confused by a getter that encodes while it encodes', () => {
    const writer = new MessagePackWriter();
    const inner = { inner: true };
    const outer = {};
    Object.defineProperty(outer, 'nested', { enumerable: true, get: () => writer.encode(inner) });
    const decoded = decode(writer.encode(outer)) as { nested: Uint8Array };
    expect(decode(decoded.nested)).toEqual(inner);
  });
});
