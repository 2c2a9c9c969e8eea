/**
 * Runs the verifier in a child process for the verify button, under the same timeout as
 * `tapelog verify` (TAPELOG_VERIFY_TIMEOUT_SECS, default 30 s): a crash or a hang of the
 * verifier is itself the verdict (corrupt), never a failure of the server.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readerSpawnCommand } from '@tapelog/core/reader-spawn';
import type { VerifyJob, VerifyResult } from './verify-protocol.js';

const DEFAULT_TIMEOUT_SECS = 30;

function timeoutSeconds(): number {
  const text = process.env.TAPELOG_VERIFY_TIMEOUT_SECS;
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : DEFAULT_TIMEOUT_SECS;
}

export function runVerifyProcess(store: string, instanceId: string, runId: string): Promise<VerifyResult> {
  const copiesDirectory = mkdtempSync(join(tmpdir(), 'tapelog-inspect-verify-'));
  const command = readerSpawnCommand([fileURLToPath(new URL('./verify-process.js', import.meta.url))]);
  const child = spawn(command.command, command.args, { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  const seconds = timeoutSeconds();
  return new Promise((settle) => {
    let result: VerifyResult | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, seconds * 1000);
    child.on('message', (message: VerifyResult) => {
      result = message;
    });
    const finish = (how: string): void => {
      clearTimeout(timer);
      rmSync(copiesDirectory, { recursive: true, force: true });
      settle(result ?? { verdict: 'corrupt', findings: [], error: timedOut ? `verify timed out after ${seconds}s` : `verify process crashed: ${how}` });
    };
    child.on('exit', (code, signal) => finish(signal !== null ? `killed by signal ${signal}` : `exit code ${code}`));
    child.on('error', (error) => finish(error.message));
    child.send({ store, instanceId, runId, copiesDirectory } satisfies VerifyJob);
  });
}
