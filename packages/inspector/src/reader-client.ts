/**
 * The server's side of the reader process: starts it on first use (core dumps off), sends it
 * requests and matches the replies. When the process dies (a damaged run made LevelDB abort it)
 * every request in flight fails with CORRUPTED naming what it was reading, its copies directory
 * is removed, and the next request starts a fresh process. A run whose summary was being filled
 * in the background when the reader died is held damaged: its later requests get CORRUPTED at
 * once instead of bringing down reader after reader.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TapelogError } from '@tapelog/core';
import { readerSpawnCommand } from '@tapelog/core/reader-spawn';
import type { ReaderInit, ReaderMethod, ReaderReading, ReaderReply, ReaderRequest } from './reader-protocol.js';

interface Pending {
  subject: string;
  settle: (reply: ReaderReply) => void;
}

interface Running {
  child: ChildProcess;
  copiesDirectory: string;
  pending: Map<number, Pending>;
  /** `instanceId/runId` of the runs whose summaries are being filled. */
  reading: Set<string>;
}

export class ReaderClient {
  readonly #init: Omit<ReaderInit['init'], 'copiesDirectory'>;
  readonly #script: string;
  #running: Running | undefined;
  /** Runs that brought a reader down, with the message their requests get. */
  readonly #damaged = new Map<string, string>();
  #nextId = 1;
  #closed = false;

  constructor(store: string, instances: readonly string[], script = fileURLToPath(new URL('./reader-process.js', import.meta.url))) {
    this.#init = { store, instances: [...instances] };
    this.#script = script;
  }

  #start(): Running {
    const copiesDirectory = mkdtempSync(join(tmpdir(), 'tapelog-inspect-'));
    const command = readerSpawnCommand([this.#script]);
    // The store (a PostgreSQL URL may carry a password) goes over IPC, never on the command line.
    const child = spawn(command.command, command.args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
    const running: Running = { child, copiesDirectory, pending: new Map(), reading: new Set() };
    const stderr: Buffer[] = [];
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('message', (reply: ReaderReply | ReaderReading) => {
      if ('reading' in reply) {
        const key = `${reply.reading.instanceId}/${reply.reading.runId}`;
        if (reply.reading.done) running.reading.delete(key);
        else running.reading.add(key);
        return;
      }
      const pending = running.pending.get(reply.id);
      running.pending.delete(reply.id);
      pending?.settle(reply);
    });
    const ended = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (this.#running === running) this.#running = undefined;
      rmSync(copiesDirectory, { recursive: true, force: true });
      const how = signal !== null ? `killed by ${signal}` : `exit code ${code}`;
      for (const key of running.reading) {
        this.#damaged.set(key, `corrupted run: reading run ${key} brought the reader process down (${how}); the run is damaged, verify it`);
      }
      for (const [id, pending] of running.pending) {
        const message = `corrupted run: reading ${pending.subject} brought the reader process down (${how}); the run is damaged, verify it`;
        pending.settle({ id, ok: false, error: { code: 'CORRUPTED', message } });
      }
      running.pending.clear();
    };
    child.on('exit', ended);
    child.on('error', (error) => {
      for (const [id, pending] of running.pending)
        pending.settle({ id, ok: false, error: { code: 'BACKEND', message: `cannot start the reader process: ${error.message}` } });
      running.pending.clear();
    });
    child.send({ init: { ...this.#init, copiesDirectory } } satisfies ReaderInit);
    return running;
  }

  /** Starts the reader process ahead of the first request (a Node start is most of a first answer's wait). */
  warm(): void {
    if (!this.#closed) this.#running ??= this.#start();
  }

  /** Asks the reader; a failure comes back as a TapelogError with the reader's code. */
  request(method: ReaderMethod, params: Record<string, unknown>, subject: string): Promise<unknown> {
    if (this.#closed) return Promise.reject(new TapelogError('CLOSED', 'the inspector is closed'));
    const damage = this.#damaged.get(`${String(params.instanceId)}/${String(params.runId)}`);
    if (damage !== undefined) return Promise.reject(new TapelogError('CORRUPTED', damage));
    this.#running ??= this.#start();
    const running = this.#running;
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      running.pending.set(id, {
        subject,
        settle: (reply) => (reply.ok ? resolve(reply.result) : reject(new TapelogError(reply.error.code as never, reply.error.message))),
      });
      running.child.send({ id, method, params } satisfies ReaderRequest);
    });
  }

  /** The reader's process id while one runs (tests kill it to see the server survive). */
  get pid(): number | undefined {
    return this.#running?.child.pid;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const running = this.#running;
    if (running === undefined) return;
    const exited = new Promise<void>((resolve) => running.child.once('exit', () => resolve()));
    running.child.disconnect();
    const timer = setTimeout(() => running.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
