/**
 * A small pool of record-check threads shared by every store of the process. Hash-only walks
 * (`scanEntryHashes`, used by verify) hand it chunks of records so hashing runs on the other
 * cores while the calling thread reads and chains. Threads are started on first use, are
 * referenced only while they have work (an idle pool never keeps a process alive), and a chunk
 * is checked in the calling thread when no thread can run (no thread script beside this module,
 * a thread that died).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { checkRecords, packRecords, type RecordCheckResult } from './record-check.js';

/** Chunks smaller than this are checked in the calling thread: a round trip costs more than it saves. */
export const MIN_OFF_THREAD_RECORDS = 256;

interface PendingTask {
  resolve(result: RecordCheckResult): void;
  records: readonly Uint8Array[];
  firstSeq: number;
}

interface CheckThread {
  worker: Worker;
  pending: Map<number, PendingTask>;
}

/** The thread script: beside this module in `dist/`, or one level up when this module sits in a subfolder. */
function threadScript(): URL | undefined {
  for (const candidate of ['./record-check-thread.js', '../record-check-thread.js']) {
    const url = new URL(candidate, import.meta.url);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

class RecordCheckPool {
  readonly #size: number;
  readonly #threads: CheckThread[] = [];
  #script: URL | undefined | null = null;
  #nextId = 1;
  #next = 0;
  /** Chunks checked on a thread and in the calling thread, for tests and diagnostics. */
  readonly stats = { offThread: 0, inThread: 0 };

  constructor(size: number) {
    this.#size = size;
  }

  /** Checks the records (consecutive seqs from `firstSeq`) on a thread when one can run. */
  check(firstSeq: number, records: readonly Uint8Array[]): Promise<RecordCheckResult> {
    const thread = records.length >= MIN_OFF_THREAD_RECORDS ? this.#pick() : undefined;
    if (thread === undefined) return Promise.resolve(this.#inThread(firstSeq, records));
    const id = this.#nextId++;
    const task = packRecords(id, firstSeq, records);
    return new Promise((resolve) => {
      if (thread.pending.size === 0) thread.worker.ref();
      thread.pending.set(id, { resolve, records, firstSeq });
      thread.worker.postMessage(task, [task.bytes.buffer as ArrayBuffer, task.offsets.buffer as ArrayBuffer]);
      this.stats.offThread++;
    });
  }

  /**
   * Ends every record-check thread at once, as a crash would. For tests of the hand-back: the
   * chunks the threads held are checked in the calling thread, and later chunks start new threads.
   */
  async terminateThreads(): Promise<void> {
    await Promise.all(this.#threads.map((thread) => thread.worker.terminate()));
  }

  #inThread(firstSeq: number, records: readonly Uint8Array[]): RecordCheckResult {
    this.stats.inThread++;
    return checkRecords(packRecords(0, firstSeq, records));
  }

  /** The thread with the least work, starting threads up to the pool size. */
  #pick(): CheckThread | undefined {
    if (this.#size === 0) return undefined;
    if (this.#script === null) this.#script = threadScript();
    if (this.#script === undefined) return undefined;
    if (this.#threads.length < this.#size) {
      const started = this.#start(this.#script);
      if (started !== undefined) return started;
    }
    if (this.#threads.length === 0) return undefined;
    let best = this.#threads[this.#next++ % this.#threads.length]!;
    for (const thread of this.#threads) if (thread.pending.size < best.pending.size) best = thread;
    return best;
  }

  #start(script: URL): CheckThread | undefined {
    let worker: Worker;
    try {
      worker = new Worker(script, { name: 'tapelog-record-check' });
    } catch {
      this.#script = undefined;
      return undefined;
    }
    const thread: CheckThread = { worker, pending: new Map() };
    worker.unref();
    worker.on('message', (result: RecordCheckResult) => {
      const task = thread.pending.get(result.id);
      if (task === undefined) return;
      thread.pending.delete(result.id);
      if (thread.pending.size === 0) worker.unref();
      task.resolve(result);
    });
    // A thread that fails or exits hands its chunks back to the calling thread: the answer is
    // the same, only slower, and no walk waits on a thread that is gone.
    const retire = (): void => {
      const index = this.#threads.indexOf(thread);
      if (index >= 0) this.#threads.splice(index, 1);
      for (const task of thread.pending.values()) task.resolve(this.#inThread(task.firstSeq, task.records));
      thread.pending.clear();
    };
    worker.on('error', retire);
    worker.on('exit', retire);
    this.#threads.push(thread);
    return thread;
  }
}

/** One pool per process: one thread per core beyond the caller's, at most three. */
export const recordCheckPool = new RecordCheckPool(Math.min(3, Math.max(1, availableParallelism() - 1)));

/**
 * Ends every record-check thread of the process now, as a crash would, and resolves once they are
 * gone. A test hook: the chunks they held are checked in the calling thread (same answer, only
 * slower), and the next large chunk starts a new thread.
 */
export function terminateRecordCheckThreads(): Promise<void> {
  return recordCheckPool.terminateThreads();
}

/** How many chunks were checked on a record-check thread and in the calling thread so far. */
export function recordCheckStats(): { offThread: number; inThread: number } {
  return { ...recordCheckPool.stats };
}
