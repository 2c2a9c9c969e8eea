/** Messages between `tapelog export` and its Parquet writer thread (parquet-writer-thread.ts). */
import type { EntryRecords } from './export-records.js';
import type { DecodeKind } from './payload-decoders.js';

export interface ParquetThreadOptions {
  /** The file to write. */
  path: string;
  /** Which payloads get a `payload_json` column value. */
  decode: DecodeKind;
  /** `seq → "kind:key,…"` for the `index_keys` column. */
  indexKeys: ReadonlyMap<number, string>;
}

/** To the thread: a batch of hash-checked records (their buffers transferred), the end, or an abort. */
export type ToParquetThread = { type: 'batch'; records: EntryRecords } | { type: 'end' } | { type: 'abort' };

/**
 * From the thread: ready for one more batch, the buffers of a batch it has read (transferred back
 * for reuse), the file is complete, or writing failed.
 */
export type FromParquetThread =
  | { type: 'ready' }
  | { type: 'spare'; bytes: ArrayBufferLike; offsets: ArrayBufferLike }
  | { type: 'done' }
  | { type: 'failed'; message: string };
