/**
 * The columnar half of `tapelog export --format parquet`, on a worker thread: it takes batches of
 * records the export command has read and hash-checked, builds their Arrow columns from the record
 * bytes, encodes them with parquet-wasm's streaming writer (one row group per batch) and writes
 * the file, while the command's own thread goes on reading and hash-checking the next batch. It
 * asks for each batch when the writer is ready for it, so at most one waits here.
 */
import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { RecordBatchStreamWriter, type Table } from 'apache-arrow';
import parquet from 'parquet-wasm/node';
import { RecordColumnsBuilder } from './export-records.js';
import { PARQUET_UNIQUE_COLUMNS, PARQUET_UNSORTED_COLUMNS } from './export-rows.js';
import { EXPORT_BATCH_ROWS } from './export-sinks.js';
import type { FromParquetThread, ParquetThreadOptions, ToParquetThread } from './parquet-thread-protocol.js';
import { payloadDecodersFor } from './payload-decoders.js';

const port = parentPort!;
const { path, decode, indexKeys } = workerData as ParquetThreadOptions;
const columns = new RecordColumnsBuilder({ decoders: payloadDecodersFor(decode), indexKeys }, EXPORT_BATCH_ROWS);
const post = (message: FromParquetThread) => port.postMessage(message);

let controller!: ReadableStreamDefaultController<unknown>;
const batches = new ReadableStream<unknown>(
  {
    start(streamController) {
      controller = streamController;
    },
    pull() {
      post({ type: 'ready' });
    },
  },
  { highWaterMark: 1 },
);
const stream = createWriteStream(path);
// Version 2 data pages: seqs and times are delta-encoded and byte columns delta-length encoded,
// which makes the file smaller and takes zstd a third less time than version 1 pages.
let builder = new parquet.WriterPropertiesBuilder()
  .setWriterVersion(parquet.WriterVersion.V2)
  .setCompression(parquet.Compression.ZSTD)
  .setMaxRowGroupSize(EXPORT_BATCH_ROWS);
// A dictionary never pays off on columns whose every value differs; trying one first costs time.
for (const column of PARQUET_UNIQUE_COLUMNS) builder = builder.setColumnDictionaryEnabled(column, false);
// Min/max of payload bytes and of hashes never prune a read and cost a comparison per value.
for (const column of PARQUET_UNSORTED_COLUMNS) builder = builder.setColumnStatisticsEnabled(column, parquet.EnabledStatistics.None);
const properties = builder.build();
parquet
  .transformParquetStream(batches, properties)
  .then((bytes) => bytes.pipeTo(Writable.toWeb(stream)))
  .then(
    () => post({ type: 'done' }),
    (error: unknown) => {
      stream.destroy();
      post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    },
  );

// One IPC stream buffer, reused for every batch: pages already touched cost far less to write than fresh ones.
let ipc = new Uint8Array(0);

/** The table as an Arrow IPC stream in `ipc` (grown when needed); returns the stream's bytes. */
async function toIpcStream(table: Table): Promise<Uint8Array> {
  const writer = new RecordBatchStreamWriter();
  writer.write(table);
  writer.finish();
  let length = 0;
  for await (const chunk of writer) {
    if (length + chunk.byteLength > ipc.length) {
      const grown = new Uint8Array(Math.max(ipc.length * 2, length + chunk.byteLength, 1 << 20));
      grown.set(ipc.subarray(0, length));
      ipc = grown;
    }
    ipc.set(chunk, length);
    length += chunk.byteLength;
  }
  return ipc.subarray(0, length);
}

async function handle(message: ToParquetThread): Promise<void> {
  switch (message.type) {
    case 'batch': {
      const { records } = message;
      const stream = await toIpcStream(columns.toTable(records));
      // The record buffers go back to be filled with a later batch.
      port.postMessage({ type: 'spare', bytes: records.bytes.buffer, offsets: records.offsets.buffer } satisfies FromParquetThread, [
        records.bytes.buffer as ArrayBuffer,
        records.offsets.buffer as ArrayBuffer,
      ]);
      const table = parquet.Table.fromIPCStream(stream);
      // The writer takes (and frees) each batch; the table is freed here, or its WebAssembly
      // memory would stay taken until garbage collection and the memory grow by every batch.
      for (const batch of table.recordBatches()) controller.enqueue(batch);
      table.free();
      break;
    }
    case 'end':
      controller.close();
      break;
    case 'abort':
      controller.error(new Error('export aborted'));
      break;
  }
}

// Messages are handled one after another (a batch is in the writer before the end is); after
// a failure the stream is errored and later messages are ignored.
let handled = Promise.resolve();
let failed = false;
port.on('message', (message: ToParquetThread) => {
  handled = handled.then(async () => {
    if (failed) return;
    try {
      await handle(message);
    } catch (error) {
      failed = true;
      controller.error(error);
    }
  });
});
