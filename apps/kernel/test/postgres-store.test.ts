/**
 * The README's flows on PostgreSQL: `kernel run --store postgres://…` killed mid-run, the next
 * `kernel run --store` recovers it as CrashedRecovered parent, and `tapelog verify
 * postgres://…/<run>` finds both runs clean. Starts its own throwaway server.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { temporaryDirectory } from '@tapelog/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const TAPELOG = fileURLToPath(new URL('../node_modules/@tapelog/cli/dist/bin.js', import.meta.url));
const CLUSTER = fileURLToPath(new URL('../../../tooling/postgres-cluster', import.meta.url));

let cluster = '';
let url = '';

beforeAll(() => {
  // Its own directory: temporaryDirectory() removes after each test, the server lives for the file.
  cluster = mkdtempSync(join(tmpdir(), 'tapelog-kernel-pg-'));
  chmodSync(cluster, 0o755);
  url = execFileSync(CLUSTER, ['start', cluster], { encoding: 'utf8' }).trim();
}, 120_000);

afterAll(() => {
  try {
    if (url !== '') execFileSync(CLUSTER, ['stop', cluster]);
  } finally {
    rmSync(cluster, { recursive: true, force: true });
  }
}, 120_000);

describe('kernel run --store postgres://…', () => {
  it('crashes, recovers as parent on the next run, and both runs verify clean with tapelog verify', () => {
    const store = `${url}?schema=kernel_demo`;
    const base = temporaryDirectory();
    const crashed = spawnSync(process.execPath, [MAIN, 'run', '--store', store, '--base', base, '--seed', '7', '--duration', '10s', '--crash-after', '500'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');

    const next = spawnSync(process.execPath, [MAIN, 'run', '--store', store, '--base', base, '--seed', '7', '--duration', '10s', '--json'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(next.status, next.stderr).toBe(0);
    const summary = JSON.parse(next.stdout) as {
      runId: string;
      parentRunId: string;
      status: string;
      recovered: Array<{ runId: string; status: string }>;
      verify: { clean: boolean };
    };
    expect(summary.recovered.map((run) => run.status)).toEqual(['CrashedRecovered']);
    expect(summary.parentRunId).toBe(summary.recovered[0]!.runId);
    expect([summary.status, summary.verify.clean]).toEqual(['Ended', true]);
    expect(next.stdout + next.stderr).not.toContain('tapelog-test');

    for (const runId of [summary.parentRunId, summary.runId]) {
      const runUrl = `${url}/kernel-001/${runId}?schema=kernel_demo`;
      const verified = spawnSync(process.execPath, [TAPELOG, 'verify', runUrl], { encoding: 'utf8', timeout: 120_000 });
      expect(verified.status, verified.stdout + verified.stderr).toBe(0);
      expect(verified.stdout).toContain(`clean run_id=${runId}`);
      expect(verified.stdout).not.toContain('tapelog-test');
    }
    const listed = spawnSync(process.execPath, [TAPELOG, 'runs', store, 'kernel-001'], { encoding: 'utf8', timeout: 60_000 });
    expect(listed.stdout.split('\n').filter((line) => line.length > 0)).toHaveLength(2);
  }, 300_000);
});
