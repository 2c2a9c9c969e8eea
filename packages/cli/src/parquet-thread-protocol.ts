/** Messages between `tapelog export` and its Parquet writer thread (parquet-writer-thread.ts). */

export interface ParquetThreadOptions {
  /** The file to write. */
  path: string;
}

/** To the thread: a batch as an Arrow IPC stream (its buffer transferred), the end, or an abort. */
export type ToParquetThread = { type: 'batch'; ipc: Uint8Array } | { type: 'end' } | { type: 'abort' };

/** From the thread: ready for one more batch, the file is complete, or writing failed. */
export type FromParquetThread = { type: 'ready' } | { type: 'done' } | { type: 'failed'; message: string };
