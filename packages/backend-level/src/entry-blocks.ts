/**
 * Entry blocks: the level backend stores each appended batch as one row, keyed by the batch's
 * last seq, whose value lists the batch's framed entry records. One row per batch means one
 * native buffer per batch on every read and write instead of one per entry, which is what
 * LevelDB access from JavaScript mostly costs.
 *
 * Value layout (little-endian): count u32 · count × record length u32 · the records, in seq
 * order. The block under key `last` holds seqs `last - count + 1 .. last`. Parsing is strict:
 * any length that does not add up makes the whole block unreadable, never a shorter block.
 */
const COUNT_BYTES = 4;
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
