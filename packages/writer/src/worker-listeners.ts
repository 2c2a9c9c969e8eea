/**
 * Attaches the three listeners a writer keeps on its thread (replies, errors, exit) at once and
 * returns the function that detaches them all, so no listener outlives the phase it serves.
 */
import type { Worker } from 'node:worker_threads';
import type { WorkerReply } from './worker-protocol.js';

export interface WorkerListeners {
  message(message: WorkerReply): void;
  error(error: Error): void;
  exit(code: number): void;
}

/** Attaches `listeners` to `worker`; the returned function detaches them. */
export function listenToWorker(worker: Worker, listeners: WorkerListeners): () => void {
  const { message, error, exit } = listeners;
  worker.on('message', message);
  worker.on('error', error);
  worker.on('exit', exit);
  return () => {
    worker.off('message', message);
    worker.off('error', error);
    worker.off('exit', exit);
  };
}
