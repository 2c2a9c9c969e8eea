/**
 * The check of a chunk of stored entry records for walks that need no entry objects (verify,
 * export): each record is checked as a scan checks it; its stored hash and tsInit are kept and
 * the records themselves handed back. The same function runs on a record-check thread and,
 * where no thread is available, in the caller's thread.
 */
import { checkEntryRecord, ENTRY_RECORD_HASH_OFFSET } from '../codec/entry-codec.js';

/** A chunk of records of consecutive seqs, packed into one buffer so it can be transferred. */
export interface RecordCheckTask {
  readonly id: number;
  /** The seq of the first record. */
  readonly firstSeq: number;
  /** The records, back to back. */
  readonly bytes: Uint8Array;
  /** `count + 1` offsets into `bytes`: record i is `bytes[offsets[i] .. offsets[i + 1])`. */
  readonly offsets: Uint32Array;
}

export interface RecordCheckResult {
  readonly id: number;
  /** The stored hash of each record that passed, 32 bytes each, in seq order. */
  readonly hashes: Uint8Array;
  /** The smallest and largest tsInit of the records that passed (0 when none did). */
  readonly minTsInit: bigint;
  readonly maxTsInit: bigint;
  /** The index of the first record that failed its check, or -1 when all passed. */
  readonly failedIndex: number;
  /** The task's records and offsets, handed back (transferred back from a thread). */
  readonly bytes: Uint8Array;
  readonly offsets: Uint32Array;
}

/** Checks every record of `task` in order and stops at the first that fails. */
export function checkRecords(task: RecordCheckTask): RecordCheckResult {
  const { bytes, offsets, firstSeq } = task;
  const count = offsets.length - 1;
  const hashes = new Uint8Array(count * 32);
  let minTsInit = 0n;
  let maxTsInit = 0n;
  for (let index = 0; index < count; index++) {
    const record = bytes.subarray(offsets[index]!, offsets[index + 1]!);
    let tsInit: bigint;
    try {
      tsInit = checkEntryRecord(record, firstSeq + index);
    } catch {
      return { id: task.id, hashes: hashes.slice(0, index * 32), minTsInit, maxTsInit, failedIndex: index, bytes, offsets };
    }
    if (index === 0 || tsInit < minTsInit) minTsInit = tsInit;
    if (index === 0 || tsInit > maxTsInit) maxTsInit = tsInit;
    hashes.set(record.subarray(ENTRY_RECORD_HASH_OFFSET, ENTRY_RECORD_HASH_OFFSET + 32), index * 32);
  }
  return { id: task.id, hashes, minTsInit, maxTsInit, failedIndex: -1, bytes, offsets };
}

/** Packs `records` (consecutive seqs from `firstSeq`) into one task. */
export function packRecords(id: number, firstSeq: number, records: readonly Uint8Array[]): RecordCheckTask {
  const offsets = new Uint32Array(records.length + 1);
  let length = 0;
  for (let i = 0; i < records.length; i++) {
    offsets[i] = length;
    length += records[i]!.length;
  }
  offsets[records.length] = length;
  const bytes = new Uint8Array(length);
  // Records that lie side by side in one buffer (a backend block) are copied in one call.
  let runStart = 0;
  for (let i = 1; i <= records.length; i++) {
    const previous = records[i - 1]!;
    const record = records[i];
    if (record !== undefined && record.buffer === previous.buffer && record.byteOffset === previous.byteOffset + previous.byteLength) continue;
    const first = records[runStart]!;
    bytes.set(new Uint8Array(first.buffer, first.byteOffset, previous.byteOffset + previous.byteLength - first.byteOffset), offsets[runStart]!);
    runStart = i;
  }
  return { id, firstSeq, bytes, offsets };
}
