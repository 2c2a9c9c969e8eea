/**
 * Entry blocks: the LevelDB and LMDB backends store each appended batch as one row (or a few),
 * keyed by the block's last seq, whose value lists the batch's framed entry records. One row per
 * batch means one native call per batch on every read and write instead of one per entry, which
 * is what key-value store access from JavaScript mostly costs.
 *
 * Value layout (little-endian): count u32 · count × record length u32 · the records, in seq
 * order. The block under key `last` holds seqs `last - count + 1 .. last`. Parsing is strict:
 * any length that does not add up makes the whole block unreadable, never a shorter block.
 */
import { decodeEntry } from '../codec/entry-codec.js';
import { corruptedError, gapError, TapelogError } from '../errors.js';
import type { StoredRow } from './abstract-event-store.js';

const COUNT_BYTES = 4;
/** Entries per block row at most: a batch of more is stored as several blocks, in one atomic write. */
export const MAX_BLOCK_ENTRIES = 256;
/** Bytes after which a block row is closed (one entry larger than this still gets a block of its own). */
export const MAX_BLOCK_BYTES = 256 * 1024;
const LENGTH_BYTES = 4;

/** A parsed block: where each record starts and ends inside `value`. */
export interface EntryBlock {
  readonly value: Uint8Array;
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** `count + 1` offsets into `value`: record i is `value[offsets[i] .. offsets[i + 1])`. */
  readonly offsets: Uint32Array;
}

/** The block value for `records` (one framed entry record per seq, in seq order). */
export function encodeEntryBlock(records: readonly Uint8Array[]): Buffer {
  const count = records.length;
  if (count === 0) throw new RangeError('an entry block holds at least one record');
  let length = COUNT_BYTES + count * LENGTH_BYTES;
  for (let i = 0; i < count; i++) length += records[i]!.length;
  const out = Buffer.allocUnsafe(length);
  out.writeUInt32LE(count, 0);
  let header = COUNT_BYTES;
  let body = COUNT_BYTES + count * LENGTH_BYTES;
  for (let i = 0; i < count; i++) {
    const record = records[i]!;
    out.writeUInt32LE(record.length, header);
    header += LENGTH_BYTES;
    out.set(record, body);
    body += record.length;
  }
  return out;
}

/**
 * Parses the block stored under `lastSeq`. Returns the reason it is malformed as a string
 * instead of throwing, so callers can name the run and the seqs affected.
 */
export function parseEntryBlock(lastSeq: number, value: Uint8Array): EntryBlock | string {
  if (value.length < COUNT_BYTES) return `entry block of ${value.length} byte(s) is too short for its count`;
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const count = view.getUint32(0, true);
  if (count === 0) return 'entry block claims no records';
  if (count > lastSeq) return `entry block claims ${count} records, more than its last seq ${lastSeq}`;
  const headerEnd = COUNT_BYTES + count * LENGTH_BYTES;
  if (headerEnd > value.length) return `entry block claims ${count} records, more than its ${value.length} bytes can list`;
  const offsets = new Uint32Array(count + 1);
  let end = headerEnd;
  offsets[0] = end;
  for (let i = 0; i < count; i++) {
    end += view.getUint32(COUNT_BYTES + i * LENGTH_BYTES, true);
    if (end > value.length) return `entry block record ${i + 1} of ${count} runs past the end of the block`;
    offsets[i + 1] = end;
  }
  if (end !== value.length) return `entry block has ${value.length - end} unaccounted trailing byte(s)`;
  // A plain Uint8Array over the same bytes: its subarrays are much cheaper to make than a Buffer's.
  const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return { value: bytes, firstSeq: lastSeq - count + 1, lastSeq, offsets };
}

/** The framed record of `seq`, which must lie in the block. A view, not a copy. */
export function blockRecord(block: EntryBlock, seq: number): Uint8Array {
  const index = seq - block.firstSeq;
  return block.value.subarray(block.offsets[index]!, block.offsets[index + 1]!);
}

/**
 * Cuts a batch's records into blocks of at most MAX_BLOCK_ENTRIES entries and about
 * MAX_BLOCK_BYTES, so a huge batch never becomes a row that a single-entry read must load whole.
 * Each block comes with the index of its last record in `records`.
 */
export function splitIntoBlocks(records: readonly Uint8Array[]): Array<[lastIndex: number, value: Buffer]> {
  const blocks: Array<[number, Buffer]> = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < records.length; i++) {
    bytes += records[i]!.length;
    const count = i - start + 1;
    if (i === records.length - 1 || count >= MAX_BLOCK_ENTRIES || bytes >= MAX_BLOCK_BYTES) {
      blocks.push([i, encodeEntryBlock(records.slice(start, i + 1))]);
      start = i + 1;
      bytes = 0;
    }
  }
  return blocks;
}

/** The rows that replace a block when one of its records is overwritten or removed (tamper hooks). */
export interface BlockRewrite {
  /** The key (last seq) of the block to remove first. */
  remove: number;
  /** Blocks to write after it, keyed by their last seq. */
  put: Array<[lastSeq: number, value: Buffer]>;
}

/**
 * Replaces the record of `seq` (which lies in `block`) with `bytes`, or removes it when `bytes`
 * is undefined: the block is then split in two around it.
 */
export function rewriteBlockRecord(block: EntryBlock, seq: number, bytes: Uint8Array | undefined): BlockRewrite {
  const records = (from: number, to: number): Uint8Array[] => {
    const out: Uint8Array[] = [];
    for (let at = from; at <= to; at++) out.push(blockRecord(block, at));
    return out;
  };
  const put: Array<[number, Buffer]> = [];
  if (bytes !== undefined) {
    const replaced = records(block.firstSeq, block.lastSeq);
    replaced[seq - block.firstSeq] = bytes;
    put.push([block.lastSeq, encodeEntryBlock(replaced)]);
  } else {
    if (seq > block.firstSeq) put.push([seq - 1, encodeEntryBlock(records(block.firstSeq, seq - 1))]);
    if (seq < block.lastSeq) put.push([block.lastSeq, encodeEntryBlock(records(seq + 1, block.lastSeq))]);
  }
  return { remove: block.lastSeq, put };
}

/** Parses one block row; a CORRUPTED error naming `seq` (the first seq the caller needs from it) when malformed. */
export function entryBlockOfRow(lastSeq: number | undefined, key: Uint8Array, value: Uint8Array, seq: number, location: string): EntryBlock | TapelogError {
  if (lastSeq === undefined) {
    return corruptedError(`malformed entry key ${Buffer.from(key).toString('hex')} in run ${location}; quarantine the run and verify it`, { seq });
  }
  const block = parseEntryBlock(lastSeq, value);
  if (typeof block === 'string') {
    return corruptedError(`decode entry seq=${seq}: ${block} (block ending at seq ${lastSeq} of run ${location}); quarantine the run and verify it`, { seq });
  }
  return block;
}

/**
 * The stored rows of `lo..hi` from block rows in key order, the first of them holding `lo` or
 * lying after it (keys are last seqs). Stops reading once `hi` is covered. A damaged block
 * becomes an error row at the first seq needed from it, so damage is reported in seq order;
 * seqs no block holds are left out, for the caller to report as a gap.
 */
export function rowsOfBlocks(
  blocks: Iterable<readonly [key: Uint8Array, value: Uint8Array]>,
  seqOfKey: (key: Uint8Array) => number | undefined,
  lo: number,
  hi: number,
  location: string,
): StoredRow[] {
  const rows: StoredRow[] = [];
  let expected = lo;
  let first = true;
  for (const [key, value] of blocks) {
    const block = entryBlockOfRow(seqOfKey(key), key, value, expected, location);
    if (TapelogError.isInstance(block)) {
      rows.push([expected, block]);
      return rows;
    }
    if (block.firstSeq < expected && !first) {
      rows.push([
        expected,
        corruptedError(`entry block ${block.firstSeq}..${block.lastSeq} overlaps seqs already read in run ${location}; quarantine the run and verify it`, {
          seq: expected,
        }),
      ]);
      return rows;
    }
    first = false;
    const end = Math.min(block.lastSeq, hi);
    for (let seq = Math.max(expected, block.firstSeq); seq <= end; seq++) rows.push([seq, blockRecord(block, seq)]);
    expected = end + 1;
    if (expected > hi) break;
  }
  return rows;
}

/**
 * The record of `seq` from the first block row keyed at or after it (keys are last seqs).
 * CORRUPTED when the row is malformed, GAP when that block starts after `seq`.
 */
export function recordOfBlockRow(lastSeq: number | undefined, key: Uint8Array, value: Uint8Array, seq: number, location: string): Uint8Array {
  const block = entryBlockOfRow(lastSeq, key, value, seq, location);
  if (TapelogError.isInstance(block)) throw block;
  if (block.firstSeq > seq) throw gapError(seq - 1, block.firstSeq, seq);
  return blockRecord(block, seq);
}

/**
 * The largest tsInit among the records of the block row keyed `lastSeq` that decode, or 0n.
 * Damaged blocks and records are skipped on purpose: damage must not stop a run from opening
 * for recovery; the read paths report it as CORRUPTED, where the recovery sweep quarantines it.
 */
export function maxTsInitOfBlockRow(lastSeq: number | undefined, value: Uint8Array): bigint {
  const block = lastSeq === undefined ? undefined : parseEntryBlock(lastSeq, value);
  if (block === undefined || typeof block === 'string') return 0n;
  let maxTsInit = 0n;
  for (let seq = block.firstSeq; seq <= block.lastSeq; seq++) {
    try {
      const tsInit = decodeEntry(blockRecord(block, seq)).tsInit;
      if (tsInit > maxTsInit) maxTsInit = tsInit;
    } catch {
      // Skipped, as said above.
    }
  }
  return maxTsInit;
}
