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
import { crashAndRestartKernel, expectVerifiedClean, temporaryDirectory } from '@tapelog/test-support';
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
    const { summary, output } = crashAndRestartKernel(MAIN, store, ['--base', base]);
    expect(output).not.toContain('tapelog-test');

    for (const runId of [summary.parentRunId, summary.runId]) {
      const runUrl = `${url}/kernel-001/${runId}?schema=kernel_demo`;
      expect(expectVerifiedClean(TAPELOG, runUrl, runId)).not.toContain('tapelog-test');
    }
    const listed = spawnSync(process.execPath, [TAPELOG, 'runs', store, 'kernel-001'], { encoding: 'utf8', timeout: 60_000 });
    expect(listed.stdout.split('\n').filter((line) => line.length > 0)).toHaveLength(2);
  }, 300_000);
});
