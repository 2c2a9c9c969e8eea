/**
 * The server dies under a writer: `pg_ctl stop -m immediate` (what a power cut or an OOM kill
 * does) mid-write. The writer halts with a BACKEND error instead of hanging, and once the server
 * is back every acknowledged entry is there. Runs its own throwaway cluster, since it stops it.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { recoverPredecessors } from '@tapelog/recovery';
import { temporaryDirectory } from '@tapelog/test-support';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createProvider } from '../src/index.js';
import { WriterProcess } from './processes.js';

const CLUSTER = fileURLToPath(new URL('../../../tooling/postgres-cluster', import.meta.url));
/** How long a writer may take to notice the dead server and halt. */
const HALT_WITHIN_MS = 30_000;

let directory = '';
let url = '';

function cluster(command: 'start' | 'stop' | 'crash' | 'restart'): string {
  return execFileSync(CLUSTER, [command, directory], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

beforeAll(() => {
  directory = temporaryDirectory('tapelog-pg-crash-', 'file');
  chmodSync(directory, 0o755);
  url = cluster('start');
}, 120_000);

afterAll(() => {
  try {
    cluster('stop');
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}, 120_000);

test('the server stopped with -m immediate mid-write halts the writer with a BACKEND error, and no acknowledged entry is lost', async () => {
  const writer = new WriterProcess(url, 'crash_test', 'desk-1', 'run-1', 0, 'forever');
  try {
    await writer.waitFor((line) => line.startsWith('acked '), 'its first acknowledgement');
    cluster('crash');
    const stoppedAt = Date.now();
    const halt = await writer.waitFor((line) => line.startsWith('halt ') || line.startsWith('error '), 'halting');
    expect(Date.now() - stoppedAt).toBeLessThan(HALT_WITHIN_MS);
    expect(halt.startsWith('halt ')).toBe(true);
    const reason = JSON.parse(halt.slice(5)) as { kind: string; code: string; message: string };
    expect(reason).toMatchObject({ kind: 'BackendError', code: 'BACKEND' });
    expect(reason.message).toContain('run-1');
    expect(reason.message).not.toContain('tapelog-test');
    const acked = writer.acked;
    await writer.exited;

    cluster('restart');
    const provider = createProvider({ connectionString: url, schema: 'crash_test' }, { warn: () => undefined });
    try {
      const outcome = await recoverPredecessors(provider, 'desk-1', { logger: () => undefined });
      expect(outcome.recovered.map((run) => run.status)).toEqual(['CrashedRecovered']);
      expect(outcome.recovered[0]!.highWatermark).toBeGreaterThanOrEqual(acked);
      const reader = await provider.openSealed('desk-1', 'run-1');
      const entries = await reader.scanRange(1, acked);
      expect(entries).toHaveLength(acked);
      await reader.close();
    } finally {
      await provider.close();
    }
  } finally {
    await writer.kill();
  }
}, 300_000);
