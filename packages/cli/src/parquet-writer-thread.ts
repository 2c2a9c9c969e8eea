/**
 * The Parquet half of `tapelog export`, on a worker thread: it takes Arrow IPC batches from the
 * export command, encodes them with parquet-wasm's streaming writer (one row group per batch) and
 * writes the file, while the command's own thread goes on reading and hash-checking the next
 * batch. It asks for each batch when the writer is ready for it, so at most one waits here.
 */
import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import parquet from 'parquet-wasm/node';
import type { FromParquetThread, ParquetThreadOptions, ToParquetThread } from './parquet-thread-protocol.js';

const port = parentPort!;
const { path } = workerData as ParquetThreadOptions;
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
const properties = new parquet.WriterPropertiesBuilder().setCompression(parquet.Compression.ZSTD).build();
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

port.on('message', (message: ToParquetThread) => {
  switch (message.type) {
    case 'batch':
      for (const batch of parquet.Table.fromIPCStream(message.ipc).recordBatches()) controller.enqueue(batch);
      break;
    case 'end':
      controller.close();
      break;
    case 'abort':
      controller.error(new Error('export aborted'));
      break;
  }
});
