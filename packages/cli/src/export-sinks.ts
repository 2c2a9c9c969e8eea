/**
 * Where `tapelog export` writes: JSON Lines, an Arrow IPC file, or Parquet (one row group per
 * batch, written by parquet-wasm's streaming writer on a worker thread). Every sink takes batches
 * as they are read and holds at most two, so a run of any length exports in bounded memory.
 */

import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { EventStoreEntry } from '@tapelog/core';
import { RecordBatchFileWriter, tableToIPC } from 'apache-arrow';
import { type ExportRowContext, entriesToArrowTable, entryToJsonRow } from './export-rows.js';
import type { FromParquetThread, ParquetThreadOptions, ToParquetThread } from './parquet-thread-protocol.js';

export const EXPORT_FORMATS = ['parquet', 'arrow', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportSink {
  write(entries: readonly EventStoreEntry[]): Promise<void>;
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
  return {
    async write(entries) {
      writer.write(entriesToArrowTable(entries, context));
      // Let the file stream drain so batches do not pile up in memory.
      await file.drained();
    },
    async close() {
      writer.finish();
      await file.closed();
    },
    abort: () => file.destroy(),
  };
}

/**
 * Parquet is encoded on a worker thread (parquet-writer-thread.ts): this thread builds the next
 * batch's Arrow columns while the worker compresses and writes the previous one. A batch is sent
 * only when the worker asks for one, so at most one waits there and one is being built here.
 */
function parquetSink(path: string, context: ExportRowContext): ExportSink {
  const options: ParquetThreadOptions = { path };
  const worker = new Worker(new URL('./parquet-writer-thread.js', import.meta.url), { workerData: options });
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
      } else if (message.type === 'done') {
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
  return {
    async write(entries) {
      if (entries.length === 0) return;
      const ipc = tableToIPC(entriesToArrowTable(entries, context), 'stream');
      await untilAsked();
      if (failure !== undefined) throw failure;
      asked--;
      const message: ToParquetThread = { type: 'batch', ipc };
      const owned = ipc.byteOffset === 0 && ipc.byteLength === ipc.buffer.byteLength;
      worker.postMessage(message, owned ? [ipc.buffer as ArrayBuffer] : []);
    },
    async close() {
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

export function openExportSink(format: ExportFormat, path: string, context: ExportRowContext): ExportSink {
  switch (format) {
    case 'jsonl':
      return jsonLinesSink(path, context);
    case 'arrow':
      return arrowSink(path, context);
    case 'parquet':
      return parquetSink(path, context);
  }
}
