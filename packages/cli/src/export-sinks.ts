/**
 * Where `tapelog export` writes: JSON Lines, an Arrow IPC file, or Parquet (one row group per
 * batch, built and written by parquet-wasm's streaming writer on a worker thread). Every sink
 * takes entries chunk by chunk as they are read and holds at most two batches, so a run of any
 * length exports in bounded memory.
 */

import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { EventStoreEntry } from '@tapelog/core';
import { RecordBatchFileWriter } from 'apache-arrow';
import { type EntryRecords, EntryRecordsBuilder } from './export-records.js';
import { type ExportRowContext, entriesToArrowTable, entryToJsonRow } from './export-rows.js';
import type { FromParquetThread, ParquetThreadOptions, ToParquetThread } from './parquet-thread-protocol.js';
import { type DecodeKind, payloadDecodersFor } from './payload-decoders.js';

/** Rows per written batch (a Parquet row group): large enough for columnar compression, small in memory. */
export const EXPORT_BATCH_ROWS = 65_536;

export const EXPORT_FORMATS = ['parquet', 'arrow', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportSinkOptions {
  /** Which payloads get a `payload_json` value. */
  decode: DecodeKind;
  /** `seq → "kind:key,…"` for the `index_keys` column. */
  indexKeys: ReadonlyMap<number, string>;
}

export interface ExportSink {
  /** Takes the next entries in seq order (one read chunk); batches them as the format needs. */
  write(entries: readonly EventStoreEntry[]): Promise<void>;
  /**
   * Where the format is built from record bytes (Parquet): takes the next batch of hash-checked
   * records, up to `EXPORT_BATCH_ROWS` of them, in seq order (its buffers are transferred away).
   */
  writeRecords?(records: EntryRecords): Promise<void>;
  /** Flushes and closes the file; the export is complete only once this resolves. */
  close(): Promise<void>;
  /** Stops writing after a failure, leaving no open handle (the partial file is the caller's to remove). */
  abort(): Promise<void>;
}

/**
 * The output file as a stream whose failure (no such directory, no permission, disk full) is kept
 * and thrown by the next write or by close, instead of escaping as an unhandled 'error' event.
 */
class OutputFile {
  readonly stream: WriteStream;
  #failure: Error | undefined;

  constructor(path: string) {
    this.stream = createWriteStream(path);
    this.stream.on('error', (error) => {
      this.#failure ??= new Error(`writing ${path} failed: ${error.message}`, { cause: error });
    });
  }

  throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** Waits for the stream to drain; rejects with the failure naming the file if it fails meanwhile. */
  async drained(): Promise<void> {
    this.throwIfFailed();
    if (this.stream.writableNeedDrain) await this.#once('drain');
  }

  /** Waits for `event`; a stream error meanwhile rejects with the failure naming the file. */
  async #once(event: string): Promise<void> {
    try {
      await once(this.stream, event);
    } catch (error) {
      this.throwIfFailed();
      throw error;
    }
  }

  async write(text: string): Promise<void> {
    this.throwIfFailed();
    this.stream.write(text);
    await this.drained();
  }

  /** Resolves once the stream has closed (after `end`); throws the stream's failure. */
  async closed(): Promise<void> {
    if (!this.stream.closed) await this.#once('close');
    this.throwIfFailed();
  }

  async destroy(): Promise<void> {
    if (this.stream.closed) return;
    this.stream.destroy();
    await once(this.stream, 'close');
  }
}

function jsonLinesSink(path: string, context: ExportRowContext): ExportSink {
  const file = new OutputFile(path);
  return {
    async write(entries) {
      let text = '';
      for (const entry of entries) text += `${entryToJsonRow(entry, context)}\n`;
      await file.write(text);
    },
    async close() {
      file.stream.end();
      await file.closed();
    },
    abort: () => file.destroy(),
  };
}

function arrowSink(path: string, context: ExportRowContext): ExportSink {
  const file = new OutputFile(path);
  const writer = new RecordBatchFileWriter();
  writer.pipe(file.stream);
  let batch: EventStoreEntry[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    writer.write(entriesToArrowTable(batch, context));
    batch = [];
    // Let the file stream drain so batches do not pile up in memory.
    await file.drained();
  };
  return {
    async write(entries) {
      for (const entry of entries) batch.push(entry);
      if (batch.length >= EXPORT_BATCH_ROWS) await flush();
    },
    async close() {
      await flush();
      writer.finish();
      await file.closed();
    },
    abort: () => file.destroy(),
  };
}

/**
 * Parquet is built and encoded on a worker thread (parquet-writer-thread.ts). This thread only
 * copies the record bytes of the entries it has read and hash-checked into one buffer per batch
 * and transfers it; the worker builds the columns, compresses and writes while this thread reads
 * on. A batch is sent only when the worker asks for one, so at most one waits there and one is
 * being gathered here.
 */
function parquetSink(path: string, options: ExportSinkOptions): ExportSink {
  const threadOptions: ParquetThreadOptions = { path, decode: options.decode, indexKeys: options.indexKeys };
  const worker = new Worker(new URL('./parquet-writer-thread.js', import.meta.url), { workerData: threadOptions });
  const records = new EntryRecordsBuilder(EXPORT_BATCH_ROWS);
  let asked = 0;
  let wakeWriter: (() => void) | undefined;
  let failure: Error | undefined;
  let complete = false;
  const finished = new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => {
      failure ??= error;
      reject(failure);
      wakeWriter?.();
    };
    worker.on('message', (message: FromParquetThread) => {
      if (message.type === 'ready') {
        asked++;
        wakeWriter?.();
      } else if (message.type === 'spare') records.recycle(message.bytes as ArrayBuffer, message.offsets as ArrayBuffer);
      else if (message.type === 'done') {
        complete = true;
        resolve();
      } else fail(new Error(`writing ${path} failed: ${message.message}`));
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!complete) fail(new Error(`the Parquet writer thread for ${path} exited (code ${code}) before the file was complete`));
    });
  });
  finished.catch(() => undefined);
  const untilAsked = () =>
    asked > 0 || failure !== undefined
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          wakeWriter = resolve;
        });
  const send = async (take: () => EntryRecords) => {
    await untilAsked();
    if (failure !== undefined) throw failure;
    asked--;
    const batch = take();
    const message: ToParquetThread = { type: 'batch', records: batch };
    worker.postMessage(message, [batch.bytes.buffer as ArrayBuffer, batch.offsets.buffer as ArrayBuffer]);
  };
  const sendGathered = () => (records.count === 0 ? Promise.resolve() : send(() => records.take()));
  return {
    async write(entries) {
      if (failure !== undefined) throw failure;
      for (const entry of entries) records.add(entry);
      if (records.count >= EXPORT_BATCH_ROWS) await sendGathered();
    },
    async writeRecords(batch) {
      if (failure !== undefined) throw failure;
      await sendGathered();
      if (batch.count > 0) await send(() => batch);
    },
    async close() {
      await sendGathered();
      worker.postMessage({ type: 'end' } satisfies ToParquetThread);
      try {
        await finished;
      } finally {
        await worker.terminate();
      }
    },
    async abort() {
      worker.postMessage({ type: 'abort' } satisfies ToParquetThread);
      await finished.catch(() => undefined);
      await worker.terminate();
    },
  };
}

export function openExportSink(format: ExportFormat, path: string, options: ExportSinkOptions): ExportSink {
  const context: ExportRowContext = { decoders: payloadDecodersFor(options.decode), indexKeys: options.indexKeys };
  switch (format) {
    case 'jsonl':
      return jsonLinesSink(path, context);
    case 'arrow':
      return arrowSink(path, context);
    case 'parquet':
      return parquetSink(path, options);
  }
}
