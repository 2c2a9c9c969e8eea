/**
 * The key layout inside one run's LevelDB. A one-byte prefix separates the keyspaces; entry
 * keys carry the seq big-endian so byte order is seq order and the last seq is one reverse seek.
 */

const ENTRY_PREFIX = 0x65; // 'e'
const INDEX_PREFIX = 0x69; // 'i'
const KIND_TERMINATOR = 0x00;

/** The single row holding the codec-framed run manifest. */
export const MANIFEST_KEY: Buffer = Buffer.from('m');
/** The single row holding the latest codec-framed snapshot anchor. */
export const ANCHOR_KEY: Buffer = Buffer.from('a');
/** The single row holding the index ledger written at seal (a copy of the index rows as sealed). */
export const INDEX_LEDGER_KEY: Buffer = Buffer.from('l');
/** The single row holding the store-format version, a big-endian u32. */
export const FORMAT_KEY: Buffer = Buffer.from('f');

/** Bounds that cover every key of every keyspace (all prefixes are printable ASCII). */
export const KEYSPACE_START: Buffer = Buffer.from([0x00]);
export const KEYSPACE_END: Buffer = Buffer.from([0xff]);

/** `e` + seq as a big-endian u64. */
export function entryKey(seq: number): Buffer {
  const key = Buffer.allocUnsafe(9);
  key[0] = ENTRY_PREFIX;
  key.writeUInt32BE(Math.floor(seq / 4294967296), 1);
  key.writeUInt32BE(seq >>> 0, 5);
  return key;
}

/** The lower and upper bound of the entry keyspace, for "last key" seeks. */
export const ENTRY_KEYSPACE_START: Buffer = Buffer.from([ENTRY_PREFIX]);
export const ENTRY_KEYSPACE_END: Buffer = Buffer.from([ENTRY_PREFIX + 1]);

/** The seq an entry key encodes, or undefined when the key is not a well-formed entry key. */
export function seqOfEntryKey(key: Uint8Array): number | undefined {
  if (key.length !== 9 || key[0] !== ENTRY_PREFIX) return undefined;
  const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
  const high = view.getUint32(1);
  if (high > 0x1fffff) return undefined;
  return high * 4294967296 + view.getUint32(5);
}

/** The bounds of the whole index keyspace, for listing kinds. */
export const INDEX_KEYSPACE_START: Buffer = Buffer.from([INDEX_PREFIX]);
export const INDEX_KEYSPACE_END: Buffer = Buffer.from([INDEX_PREFIX + 1]);

/** `i` + kind + 0x00 + UTF-8 key. Kinds match /^[a-z][a-z0-9_]*$/, so the 0x00 ends them unambiguously. */
export function indexKey(kind: string, key: string): Buffer {
  const kindLength = Buffer.byteLength(kind, 'latin1');
  const out = Buffer.allocUnsafe(2 + kindLength + Buffer.byteLength(key, 'utf8'));
  out[0] = INDEX_PREFIX;
  out.write(kind, 1, 'latin1');
  out[1 + kindLength] = KIND_TERMINATOR;
  out.write(key, 2 + kindLength, 'utf8');
  return out;
}

/** Bounds [start, end) of one kind's index rows, and the prefix length to strip from each key. */
export function indexKindRange(kind: string): { start: Buffer; end: Buffer; prefixLength: number } {
  const start = indexKey(kind, '');
  const end = Buffer.from(start);
  end[end.length - 1] = KIND_TERMINATOR + 1;
  return { start, end, prefixLength: start.length };
}

/**
 * The store-format marker value: version (u32 BE) ‖ its bitwise complement. The complement turns
 * a flipped bit into a malformed marker (a damaged run, skipped by listings) instead of a
 * plausible "unsupported version" that would fail every listing. Later formats keep this layout.
 */
export function encodeFormatValue(version: number): Buffer {
  const value = Buffer.allocUnsafe(8);
  value.writeUInt32BE(version >>> 0, 0);
  value.writeUInt32BE(~version >>> 0, 4);
  return value;
}

/** The stored store-format version, or undefined when the row is malformed. */
export function decodeFormatValue(value: Uint8Array): number | undefined {
  if (value.length !== 8) return undefined;
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const version = view.getUint32(0);
  return ~version >>> 0 === view.getUint32(4) ? version : undefined;
}
