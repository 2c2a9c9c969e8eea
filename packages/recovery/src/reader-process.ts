/**
 * Reading a run that may be damaged in a child process. LevelDB aborts the whole process on some
 * damaged table files (a native assertion, SIGABRT); read in a child, such a run kills only the
 * child, and the caller gets a CORRUPTED error naming the run instead of dying with it.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { backendError, corruptedError, readerSpawnCommand, TapelogError, type TapelogErrorCode } from '@tapelog/core';

/** How a child rebuilds the provider: a module exporting `createProvider(options)`, and its plain-data options. */
export interface BackendModuleSpec {
  module: string;
  options?: unknown;
}

/** Read crashed runs in a child process built from this backend module (see `recoverPredecessors`). */
export interface ReaderIsolation {
  backend: BackendModuleSpec;
}

/** One job for the child; `reader-process-main` runs it. */
export type ReaderJob = { kind: 'recover-run'; instanceId: string; runId: string } | { kind: 'probe-restore'; instanceId: string; runId: string };

/** Messages from the child: log lines, then exactly one result or failure. */
export type ReaderMessage = { log: string } | { result: unknown } | { failure: { code?: TapelogErrorCode; message: string; detail?: string; seq?: number } };

export type CarriedFailure = Extract<ReaderMessage, { failure: unknown }>['failure'];

/** An error as plain data, so it can cross to the parent with its code. */
export function carryFailure(error: unknown): CarriedFailure {
  const failure: CarriedFailure = { message: error instanceof Error ? error.message : String(error) };
  if (TapelogError.isInstance(error)) {
    failure.code = error.code;
    failure.detail = error.detail;
    if (error.seq !== undefined) failure.seq = error.seq;
  }
  return failure;
}

/** A failure carried over IPC back into a TapelogError with the same code and detail. */
export function reviveFailure(failure: CarriedFailure): Error {
  if (failure.code === undefined) return new Error(failure.message);
  const details: { detail?: string; seq?: number } = {};
  if (failure.detail !== undefined) details.detail = failure.detail;
  if (failure.seq !== undefined) details.seq = failure.seq;
  return new TapelogError(failure.code, failure.message, details);
}

function readerScript(): string {
  return fileURLToPath(new URL('./reader-process-main.js', import.meta.url));
}

/**
 * Runs `job` in a child process and returns its result. A child that dies before answering
 * (killed by a signal, a native abort) is a CORRUPTED error naming `location`; an error the
 * job raised comes back as that error. Log lines go to `log` as they arrive.
 */
export function runInReaderProcess<T>(isolation: ReaderIsolation, job: ReaderJob, location: string, log: (line: string) => void): Promise<T> {
  return new Promise((settle, reject) => {
    const command = readerSpawnCommand([readerScript()]);
    const child = spawn(command.command, command.args, {
      // The child's stderr would carry the native assertion text; callers report one line instead.
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    let answered: ReaderMessage | undefined;
    let nativeMessage = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      if (nativeMessage.length < 2000) nativeMessage += chunk.toString();
    });
    child.on('message', (message: ReaderMessage) => {
      if ('log' in message) log(message.log);
      else answered = message;
    });
    child.on('error', (error) => reject(backendError(`start a reader process for run ${location}: ${error.message}`, error)));
    child.on('close', (code, signal) => {
      if (answered !== undefined && 'result' in answered) return settle(answered.result as T);
      if (answered !== undefined && 'failure' in answered) return reject(reviveFailure(answered.failure));
      const status = signal !== null ? `killed by ${signal}` : `exit code ${code}`;
      const native = nativeMessage
        .trim()
        .split('\n')
        .find((line) => /Assertion|abort|Segmentation/i.test(line));
      reject(
        corruptedError(
          `reading run ${location} brought its reader process down (${status}${native === undefined ? '' : `: ${native.trim()}`}); the run is damaged`,
        ),
      );
    });
    child.send({ backend: isolation.backend, job });
  });
}
