/**
 * Runs the append child (optionally under strace) and reports its acknowledgements as they
 * arrive, so the crash area can kill it mid-append and the sync audit can read its trace.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AppendChildRequest } from './append-child.js';

/** The built child script: under this bundle in dist, or in dist when this module runs from source. */
function childScript(): string {
  for (const candidate of ['./child/append-child.js', '../../dist/child/append-child.js']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('@tapelog/conformance: append-child.js is missing; build the package first');
}

export interface RunningChild {
  process: ChildProcess;
  /** The hwm of every acknowledged append, in order. */
  acks: number[];
  /** Resolves once `count` appends were acknowledged; rejects if the child ends first. */
  acked(count: number, timeoutMs: number): Promise<void>;
  /** Resolves with the exit code (or signal) once the child has ended. */
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts the append child; with `strace` set, under `strace -f -y -o <trace>` tracing those calls. */
export function startAppendChild(request: AppendChildRequest, strace?: { traceFile: string; calls: readonly string[] }): RunningChild {
  const args = [childScript(), JSON.stringify(request)];
  const command = strace === undefined ? process.execPath : 'strace';
  const argv = strace === undefined ? args : ['-f', '-y', '-qq', '-e', `trace=${strace.calls.join(',')}`, '-o', strace.traceFile, process.execPath, ...args];
  const child = spawn(command, argv, { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  const acks: number[] = [];
  let stderr = '';
  let buffered = '';
  const listeners = new Set<() => void>();
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdio[3]!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.startsWith('ack ')) acks.push(Number(line.slice(4)));
    }
    for (const listener of listeners) listener();
  });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => {
      resolve({ code, signal, stderr });
      for (const listener of listeners) listener();
    });
  });
  let exited = false;
  void ended.then(() => (exited = true));
  const acked = (count: number, timeoutMs: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`the append child acknowledged ${acks.length} of ${count} appends within ${timeoutMs} ms; stderr: ${stderr.trim()}`)),
        timeoutMs,
      );
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        listeners.delete(check);
        if (error === undefined) resolve();
        else reject(error);
      };
      const check = (): void => {
        if (acks.length >= count) finish();
        else if (exited) finish(new Error(`the append child ended after ${acks.length} of ${count} acknowledged appends; stderr: ${stderr.trim()}`));
      };
      listeners.add(check);
      check();
    });
  return { process: child, acks, acked, ended };
}

/** Why strace cannot audit this machine, or undefined when it can. */
export function straceUnavailable(): string | undefined {
  const probe = spawnSync('strace', ['-f', '-qq', '-e', 'trace=fsync', '-o', '/dev/null', 'true'], { encoding: 'utf8' });
  if (probe.error !== undefined)
    return `strace is not installed (${(probe.error as NodeJS.ErrnoException).code ?? probe.error.message}); install it (Debian: apt-get install strace) to run the sync audit`;
  if (probe.status !== 0) return `strace cannot trace here (exit ${probe.status}: ${probe.stderr.trim()}); ptrace may be forbidden in this container`;
  return undefined;
}
