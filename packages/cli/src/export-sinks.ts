/**
 * Where `tapelog export` writes: JSON Lines, an Arrow IPC file, or Parquet (one row group per
 * batch, written by parquet-wasm's streaming writer). Every sink takes batches as they are read
 * and never holds more than one batch, so a run of any length exports in bounded memory.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { RecordBatchFileWriter, tableToIPC } from 'apache-arrow';
import parquet from 'parquet-wasm/node';
import type { EventStoreEntry } from '@tapelog/core';
import { entriesToArrowTable, entryToJsonRow, type ExportRowContext } from './export-rows.js';

export const EXPORT_FORMATS = ['parquet', 'arrow', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportSink {
  write(entries: readonly EventStoreEntry[]): Promise<void>;
  /** Flushes and closes the file; the export is complete only once this resolves. */
  close(): Promise<void>;
  /** Stops writing after a failure, leaving no open handle (the partial file is the caller's to remove). */
  abort(): Promise<void>;
}

async function writeText(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function endStream(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'close');
}

function destroyStream(stream: WriteStream): Promise<void> {
  if (stream.closed) return Promise.resolve();
  stream.destroy();
  return once(stream, 'close').then(() => undefined);
}

function jsonLinesSink(path: string, context: ExportRowContext): ExportSink {
  const stream = createWriteStream(path);
  return {
    async write(entries) {
      let text = '';
      for (const entry of entries) text += `${entryToJsonRow(entry, context)}\n`;
      await writeText(stream, text);
    },
    close: () => endStream(stream),
    abort: () => destroyStream(stream),
  };
}

function arrowSink(path: string, context: ExportRowContext): ExportSink {
  const stream = createWriteStream(path);
  const writer = new RecordBatchFileWriter();
  const piped = writer.pipe(stream);
  return {
    async write(entries) {
      writer.write(entriesToArrowTable(entries, context));
      // Let the file stream drain so batches do not pile up in memory.
      if (stream.writableNeedDrain) await once(stream, 'drain');
    },
    async close() {
      writer.finish();
      await once(piped, 'close');
    },
    abort: () => destroyStream(stream),
  };
}

function parquetSink(path: string, context: ExportRowContext): ExportSink {
  const stream = createWriteStream(path);
  // A pull-driven source: the Parquet writer asks for the next batch when it has written the
  // previous one, and `write` waits for that ask, so at most one batch is in flight.
  let pulled: Promise<void> = new Promise<void>(() => undefined);
  let signalPulled = () => {};
  const armPull = () => {
    pulled = new Promise<void>((resolve) => {
      signalPulled = resolve;
    });
  };
  armPull();
  let controller!: ReadableStreamDefaultController<unknown>;
  const batches = new ReadableStream<unknown>(
    {
      start(streamController) {
        controller = streamController;
      },
      pull() {
        signalPulled();
      },
    },
    { highWaterMark: 1 },
  );
  const properties = new parquet.WriterPropertiesBuilder().setCompression(parquet.Compression.ZSTD).build();
  const done = parquet.transformParquetStream(batches, properties).then((bytes) => bytes.pipeTo(Writable.toWeb(stream)));
  done.catch(() => undefined);
  return {
    async write(entries) {
      if (entries.length === 0) return;
      await Promise.race([pulled, done]);
      armPull();
      const table = parquet.Table.fromIPCStream(tableToIPC(entriesToArrowTable(entries, context), 'stream'));
      for (const batch of table.recordBatches()) controller.enqueue(batch);
    },
    async close() {
      controller.close();
      await done;
    },
    async abort() {
      controller.error(new Error('export aborted'));
      await done.catch(() => undefined);
      await destroyStream(stream);
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
