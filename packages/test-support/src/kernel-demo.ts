/**
 * The README's crash-and-restart demo of the kernel app, run on any store the kernel takes (an
 * `lmdb:<dir>` or a `postgres://…` URL): the end-to-end tests of each store share its shape.
 */
import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';

/** What `kernel run --json` prints that the demo checks. */
export interface KernelRunSummary {
  runId: string;
  parentRunId: string;
  status: string;
  recovered: Array<{ runId: string; status: string }>;
  verify: { clean: boolean };
}

/**
 * `kernel run --store <store>` SIGKILLed after 500 entries, then a second run on the same store
 * that must recover the first as its CrashedRecovered parent, end, and verify clean. `extra` goes
 * after the store (such as `--base <dir>`). Returns the second run's summary and everything both
 * runs printed.
 */
export function crashAndRestartKernel(kernelMain: string, store: string, extra: readonly string[] = []): { summary: KernelRunSummary; output: string } {
  const run = (options: readonly string[]) =>
    spawnSync(process.execPath, [kernelMain, 'run', '--store', store, ...extra, '--seed', '7', '--duration', '10s', ...options], {
      encoding: 'utf8',
      timeout: 120_000,
    });
  const crashed = run(['--crash-after', '500']);
  expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
  const next = run(['--json']);
  expect(next.status, next.stderr).toBe(0);
  const summary = JSON.parse(next.stdout) as KernelRunSummary;
  expect(summary.recovered.map((recovered) => recovered.status)).toEqual(['CrashedRecovered']);
  expect(summary.parentRunId).toBe(summary.recovered[0]!.runId);
  expect([summary.status, summary.verify.clean]).toEqual(['Ended', true]);
  return { summary, output: crashed.stdout + crashed.stderr + next.stdout + next.stderr };
}

/** `tapelog verify <target>` exits 0 and reports run `runId` clean; returns what it printed. */
export function expectVerifiedClean(tapelogBin: string, target: string, runId: string): string {
  const verified = spawnSync(process.execPath, [tapelogBin, 'verify', target], { encoding: 'utf8', timeout: 120_000 });
  expect(verified.status, verified.stdout + verified.stderr).toBe(0);
  expect(verified.stdout).toContain(`clean run_id=${runId}`);
  return verified.stdout + verified.stderr;
}
