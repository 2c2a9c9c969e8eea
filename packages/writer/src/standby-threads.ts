/**
 * Writer threads started ahead of need. Starting a thread and loading its backend module (for
 * LevelDB: classic-level and its addon) is most of what opening a run costs; a standby thread has
 * done both and waits for its run, so `spawnWriter` only opens the run. A thread whose run ended
 * cleanly (closed or abandoned) comes back as the standby of its module, its compiled code warm:
 * a fresh thread runs its first tens of thousands of entries through cold code, and compiling it
 * again costs CPU the bus thread competes for. A thread that failed exits; once a process asked
 * for a standby, that exit starts the next, so a process that runs session after session always
 * finds one ready.
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
/** The exit listener that starts a replacement, per thread taken from standby (removed when it comes back). */
const replaceOnExit = new WeakMap<Worker, () => void>();

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
  keepAsStandby(module, worker);
  return true;
}

/** Makes `worker`, idle and waiting for a start message, the unref'd standby of `module`. */
function keepAsStandby(module: string, worker: Worker): void {
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
}

/**
 * Takes back a thread whose run ended cleanly (it replied `released` and waits for a start
 * message) as the standby of `module`. A cold standby already waiting is ended in its favour.
 */
export function releaseWriterThread(module: string, worker: Worker): void {
  const replace = replaceOnExit.get(worker);
  if (replace !== undefined) worker.off('exit', replace);
  replaceOnExit.delete(worker);
  const waiting = standby.get(module);
  if (waiting !== undefined) {
    waiting.forget();
    void waiting.worker.terminate();
  }
  keepAsStandby(module, worker);
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
  const replace = (): void => {
    replaceOnExit.delete(worker);
    prewarmWriterThread(module);
  };
  replaceOnExit.set(worker, replace);
  worker.once('exit', replace);
  return worker;
}

/** The thread id of the standby waiting for backend `module`, or undefined: shows which thread the next run gets. */
export function standbyWriterThreadId(backendModule: string): number | undefined {
  return standby.get(backendModuleSpecifier(backendModule))?.worker.threadId;
}
