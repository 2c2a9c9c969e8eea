/**
 * The writer thread's entry point: builds the backend from `{ module, options }`, opens the run,
 * rebuilds the chain over any entries the run already holds, then runs the batching loop. A run
 * that ended cleanly (closed or abandoned, store released) hands the thread back for the next
 * run, so a process that runs session after session keeps the writer's compiled code warm.
 */
import { once } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import { type ChainHasher, type EventStore, type EventStoreProvider, TapelogError } from '@tapelog/core';
import { chainOverStoredEntries } from './chain-replay.js';
import { QueueConsumer } from './queue-consumer.js';
import { ControlWords } from './shared-queue.js';
import { serializeError, type WorkerReply, type WorkerStandbyData, type WorkerStartData, type WorkerStartMessage } from './worker-protocol.js';
import { WriterLoop } from './writer-loop.js';

function reply(message: WorkerReply): void {
  parentPort!.postMessage(message);
}

async function openStore(data: WorkerStartData): Promise<EventStore> {
  let factory: unknown;
  try {
    const module = (await import(data.module)) as { createProvider?: unknown };
    factory = module.createProvider;
  } catch (error) {
    throw new TapelogError(
      'WRITER_START_FAILED',
      `spawn writer thread: cannot import backend module ${data.module}: ${(error as Error)?.message ?? String(error)}`,
      { cause: error },
    );
  }
  if (typeof factory !== 'function')
    throw new TapelogError('WRITER_START_FAILED', `spawn writer thread: backend module ${data.module} does not export createProvider(options)`);
  const provider = (factory as (options: unknown) => EventStoreProvider)(data.options);
  return provider.openRun(data.manifest);
}

/**
 * The run this thread serves: from its start data, or for a standby thread from the first
 * message, after loading the backend module while it waited (a failed load is reported by
 * openStore, which imports the module again).
 */
async function startData(): Promise<WorkerStartData> {
  const initial = workerData as WorkerStartData | WorkerStandbyData;
  if (!('standby' in initial)) return initial;
  const loading = import(initial.module).catch(() => undefined);
  const [message] = (await once(parentPort!, 'message')) as [WorkerStartMessage];
  await loading;
  return message.data;
}

/** Serves one run; true when it ended cleanly and the thread may serve another. */
async function serveRun(data: WorkerStartData): Promise<boolean> {
  const control = new ControlWords(data.control);
  let store: EventStore;
  try {
    store = await openStore(data);
  } catch (error) {
    reply({ type: 'open-failed', error: serializeError(error) });
    return false;
  }
  let highWatermark: number;
  let chain: ChainHasher;
  try {
    highWatermark = await store.highWatermark();
    chain = await chainOverStoredEntries(store, highWatermark);
  } catch (error) {
    reply({ type: 'open-failed', error: serializeError(error) });
    await store.close().catch(() => {});
    return false;
  }
  control.publishHighWatermark(highWatermark);
  reply({ type: 'ready', highWatermark });
  const consumer = new QueueConsumer(control, data.ring);
  // A pending Atomics.waitAsync does not keep a thread alive; this handle does until the loop ends.
  const keepAlive = setInterval(() => {}, 1 << 30);
  const loop = new WriterLoop({ store, feed: consumer, control, config: data.config, chain, highWatermark, reply });
  try {
    await loop.run();
  } finally {
    clearInterval(keepAlive);
  }
  // Release the run (a failed run stays Running for recovery). A thread whose run failed, or
  // whose store did not close, ends with it rather than carry anything into another run.
  try {
    await store.close();
  } catch {
    return false;
  }
  return !loop.failed;
}

async function main(): Promise<void> {
  let data = await startData();
  while (await serveRun(data)) {
    reply({ type: 'released' });
    // Unref'd while idle (the main thread unrefs the Worker); the next run arrives as a start message.
    const [message] = (await once(parentPort!, 'message')) as [WorkerStartMessage];
    data = message.data;
  }
}

void main().finally(() => parentPort!.close());
