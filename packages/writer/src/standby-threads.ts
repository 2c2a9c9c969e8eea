/**
 * Writer threads started ahead of need. Starting a thread and loading its backend module (for
 * LevelDB: classic-level and its addon) is most of what opening a run costs; a standby thread has
 * done both and waits for its run, so `spawnWriter` only opens the run. A thread still serves one
 * run and exits after it; once a process asked for a standby, the exit of a writer that started
 * from one starts the next, so a process that runs session after session always finds one ready.
 */
import { Worker } from 'node:worker_threads';
import { backendModuleSpecifier } from './backend-module.js';
import type { WorkerStandbyData, WorkerStartData } from './worker-protocol.js';

const WORKER_URL = new URL('./worker.js', import.meta.url);

interface StandbyThread {
  worker: Worker;
  /** Removes the thread from `standby` when it dies before it is taken. */
  forget(): void;
}

/** Idle standby threads by backend module, at most one each; unref'd, so they never keep a process alive. */
const standby = new Map<string, StandbyThread>();

/** Starts a writer thread (for spawnWriter, or as a standby) with `data` as its workerData. */
export function startWriterThread(data: WorkerStartData | WorkerStandbyData): Worker {
  return new Worker(WORKER_URL, { workerData: data, name: 'tapelog-writer' });
}

/**
 * Starts a writer thread for backend `module` that loads the module and waits for a run, unless
 * one is already waiting; returns true when it started one. Cheap to call repeatedly; a module
 * that fails to load is reported when a run is opened on it, as without a standby.
 */
export function prewarmWriterThread(backendModule: string): boolean {
  if (typeof backendModule !== 'string' || backendModule.length === 0) throw new TypeError('prewarmWriterThread expects a backend module name or file URL');
  const module = backendModuleSpecifier(backendModule);
  if (standby.has(module)) return false;
  const data: WorkerStandbyData = { standby: true, module };
  let worker: Worker;
  try {
    worker = startWriterThread(data);
  } catch {
    // spawnWriter starts a thread of its own and reports what went wrong.
    return false;
  }
  worker.unref();
  const thread: StandbyThread = {
    worker,
    forget: () => {
      if (standby.get(module) === thread) standby.delete(module);
    },
  };
  worker.once('exit', thread.forget);
  worker.once('error', thread.forget);
  standby.set(module, thread);
  return true;
}

/**
 * The standby thread for `module`, now owned by the caller (ref'd again), or undefined. A
 * replacement is started once the taken thread exits.
 */
export function takeStandbyThread(module: string): Worker | undefined {
  const thread = standby.get(module);
  if (thread === undefined) return undefined;
  standby.delete(module);
  const { worker } = thread;
  worker.off('exit', thread.forget);
  worker.off('error', thread.forget);
  worker.ref();
  worker.once('exit', () => prewarmWriterThread(module));
  return worker;
}
