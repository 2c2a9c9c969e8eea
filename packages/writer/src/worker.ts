/**
 * The writer thread's entry point: builds the backend from `{ module, options }`, opens the run,
 * rebuilds the chain over any entries the run already holds, then runs the batching loop.
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

async function main(): Promise<void> {
  const data = await startData();
  const control = new ControlWords(data.control);
  let store: EventStore;
  try {
    store = await openStore(data);
  } catch (error) {
    reply({ type: 'open-failed', error: serializeError(error) });
    return;
  }
  let highWatermark: number;
  let chain: ChainHasher;
  try {
    highWatermark = await store.highWatermark();
    chain = await chainOverStoredEntries(store, highWatermark);
  } catch (error) {
    reply({ type: 'open-failed', error: serializeError(error) });
    await store.close().catch(() => {});
    return;
  }
  control.publishHighWatermark(highWatermark);
  reply({ type: 'ready', highWatermark });
  const consumer = new QueueConsumer(control, data.ring);
  // A pending Atomics.waitAsync does not keep a thread alive; this handle does until the loop ends.
  const keepAlive = setInterval(() => {}, 1 << 30);
  try {
    await new WriterLoop({ store, feed: consumer, control, config: data.config, chain, highWatermark, reply }).run();
  } finally {
    clearInterval(keepAlive);
  }
  // Release the run (a failed run stays Running for recovery); a close error changes nothing now.
  await store.close().catch(() => {});
}

void main().finally(() => parentPort!.close());
