/**
 * `tapelog verify <runPath> [--json]`: runs the check in a child process (verify-worker) under a
 * timeout, relays its output and exit code, and turns a crash or timeout into exit 1 with a
 * clear `corrupt … worker_status="…"` line. The parent drains the worker's pipes as they fill,
 * so a worker with very many findings cannot block on a full pipe.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readerSpawnCommand } from '@tapelog/core/reader-spawn';
import { withoutPasswords } from '../child-arguments.js';
import { parseArguments, UsageError } from '../command-line.js';
import { EXIT_CORRUPT, EXIT_ERROR } from '../exit-codes.js';
import { ProgressBar } from '../progress-bar.js';
import { parseRunPath } from '../run-path.js';
import { corruptOutput, errorOutput } from '../verify-output.js';

export const VERIFY_TIMEOUT_ENVIRONMENT_VARIABLE = 'TAPELOG_VERIFY_TIMEOUT_SECS';
export const DEFAULT_VERIFY_TIMEOUT_SECS = 30;
/** After SIGKILL the pipes close promptly; this bounds the wait should they not. */
const CLOSE_GRACE_MS = 2000;

/** Whole seconds; anything but a plain unsigned integer falls back to the default. `0` expires at once. */
export function verifyTimeoutSeconds(text: string | undefined): number {
  if (text === undefined || !/^\d+$/.test(text)) return DEFAULT_VERIFY_TIMEOUT_SECS;
  return Number(text);
}

function workerScript(): string {
  return fileURLToPath(new URL('./verify-worker.js', import.meta.url));
}

interface WorkerResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  spawnError?: Error;
}

function runWorker(path: string, json: boolean, timeoutSeconds: number): Promise<WorkerResult> {
  return new Promise((settle) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const progress = new ProgressBar('verify', process.stderr, process.stderr.isTTY === true && !json);
    const passwordless = withoutPasswords([path]);
    const command = readerSpawnCommand([workerScript(), ...passwordless.args, ...(json ? ['--json'] : [])]);
    const child = spawn(command.command, command.args, {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: passwordless.env,
    });
    let timedOut = false;
    let settled = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
    let grace: NodeJS.Timeout | undefined;
    const finish = (spawnError?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(grace);
      progress.finish();
      const result: WorkerResult = { ...exit, timedOut, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() };
      if (spawnError !== undefined) result.spawnError = spawnError;
      settle(result);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutSeconds * 1000);
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('message', (message: { progress?: number; total?: number }) => {
      if (typeof message.progress === 'number' && typeof message.total === 'number') progress.update(message.progress, message.total);
    });
    child.on('error', (error) => finish(error));
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Kept referenced: an unreferenced timer could let the process end with the command unfinished.
      grace = setTimeout(() => finish(), CLOSE_GRACE_MS);
    });
    child.on('close', () => finish());
  });
}

export async function verifyCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseArguments(argv, [], ['json']);
  if (parsed.positionals.length !== 1) throw new UsageError('verify takes exactly one run directory');
  const json = parsed.flags.has('json');
  // A path that is not a run directory is a usage error, reported before any worker starts.
  const path = parseRunPath(parsed.positionals[0]!).path;
  const timeoutSeconds = verifyTimeoutSeconds(process.env[VERIFY_TIMEOUT_ENVIRONMENT_VARIABLE]);
  // The worker gets the argument as given: `path` is for display (a PostgreSQL URL without its password).
  const result = await runWorker(parsed.positionals[0]!, json, timeoutSeconds);
  if (result.spawnError !== undefined) {
    const output = errorOutput(path, `worker: ${result.spawnError.message}`, json);
    process.stdout.write(output.stdout);
    process.stderr.write(output.stderr);
    return EXIT_ERROR;
  }
  let code: number;
  if (result.timedOut) {
    process.stdout.write(corruptOutput(path, 'worker_status', `timeout after ${timeoutSeconds}s`, json).stdout);
    code = EXIT_CORRUPT;
  } else if (result.code === 0 || result.code === 1 || result.code === 2) {
    code = result.code;
  } else {
    const status = result.signal !== null ? `killed by signal ${result.signal}` : `exit code ${result.code}`;
    process.stdout.write(corruptOutput(path, 'worker_status', `verify worker crashed: ${status}`, json).stdout);
    code = EXIT_CORRUPT;
  }
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  return code;
}
