/**
 * A kernel that fails says so and stops: every phase failure (injected through the test hook)
 * exits 2 within seconds with one stderr line naming the phase and the run, and leaves the store
 * in the stated state. A restart with fewer instruments than the parent's positions refuses before
 * opening a run; `--replay-only` prints the restored state and records nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProvider } from '@tapelog/backend-level';
import { restoreFromSealedRun, Verifier } from '@tapelog/recovery';
import { temporaryDirectory } from '@tapelog/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobDirectory } from '../src/blob-directory.js';
import { KernelCache } from '../src/cache.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const INSTANCE = 'kernel-001';

function kernel(args: string[], env: Record<string, string> = {}) {
  const started = performance.now();
  // 10 s is the promise: a failing kernel that outlives it is killed and the test fails on `signal`.
  const result = spawnSync(process.execPath, [MAIN, 'run', ...args], { encoding: 'utf8', timeout: 10_000, env: { ...process.env, ...env } });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr, ms: performance.now() - started };
}

async function runs(baseDir: string) {
  return createProvider({ baseDir }).listRuns(INSTANCE);
}

async function verifiesClean(baseDir: string, runId: string): Promise<boolean> {
  const verifier = await Verifier.openSealed(createProvider({ baseDir }), INSTANCE, runId);
  try {
    return (await verifier.verify()).findings.length === 0;
  } finally {
    await verifier.close();
  }
}

describe('kernel failures end the process', () => {
  it.each(['boot', 'restore'])('a failure in %s exits 2 with one line and opens no run', async (phase) => {
    const baseDir = temporaryDirectory();
    const result = kernel(['--base', baseDir, '--duration', '2s'], { KERNEL_TEST_FAIL_PHASE: phase });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`kernel: ${phase} failed: injected fault in ${phase}; no run was opened\n`);
    expect(await runs(baseDir)).toEqual([]);
  });

  it.each(['open', 'trading', 'stop', 'seal', 'verify'])(
    'a failure in %s exits 2 with one line naming the run, which is sealed Ended and verifies clean',
    async (phase) => {
      const baseDir = temporaryDirectory();
      const result = kernel(['--base', baseDir, '--duration', '2s'], { KERNEL_TEST_FAIL_PHASE: phase });
      expect(result.signal).toBeNull();
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      const [run, ...others] = await runs(baseDir);
      expect(others).toEqual([]);
      expect(run!.status).toBe('Ended');
      expect(result.stderr.split('\n')).toHaveLength(2);
      expect(result.stderr).toMatch(
        new RegExp(
          `^kernel: ${phase} failed in run ${run!.runId}: injected fault in ${phase}; run ${run!.runId} (sealed Ended with ${run!.highWatermark} entries|was sealed Ended before the failure)\\n$`,
        ),
      );
      expect(await verifiesClean(baseDir, run!.runId)).toBe(true);
    },
  );
});

describe('restart after a crash', () => {
  let baseDir: string;
  let crashedRunId: string;

  beforeAll(async () => {
    // Shared by the tests below (the crash is the slow part), so not removed after each one.
    baseDir = mkdtempSync(join(tmpdir(), 'tapelog-kernel-restart-'));
    const crashed = spawnSync(process.execPath, [MAIN, 'run', '--base', baseDir, '--instruments', '4', '--crash-after', '3000', '--duration', '30s'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(crashed.signal).toBe('SIGKILL');
    const [run] = await runs(baseDir);
    crashedRunId = run!.runId;
  }, 90_000);

  afterAll(() => {
    rmSync(baseDir, { recursive: true, force: true });
  });

  it('with fewer instruments than the parent holds positions in: refuses before opening a run, exits 2 within 10 s', async () => {
    const result = kernel(['--base', baseDir, '--instruments', '2', '--duration', '5s']);
    expect(result.signal).toBeNull();
    expect(result.code).toBe(2);
    expect(result.ms).toBeLessThan(10_000);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      new RegExp(
        `^kernel: restore failed: run ${crashedRunId} holds positions or open orders in [A-Z.]+(, [A-Z.]+)*, which --instruments 2 does not trade; restart with --instruments [3-4] or more; no run was opened\\n$`,
      ),
    );
    // The boot's recovery sweep sealed the crashed run; no new run exists.
    expect((await runs(baseDir)).map((run) => [run.runId, run.status])).toEqual([[crashedRunId, 'CrashedRecovered']]);
  }, 30_000);

  it('--replay-only prints the state a restore yields and leaves no new run behind', async () => {
    const before = await runs(baseDir);
    const result = kernel(['--base', baseDir, '--replay-from', crashedRunId, '--replay-only', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const printed = JSON.parse(result.stdout) as {
      sourceRunId: string;
      openOrders: string[];
      orders: unknown[];
      positions: Array<{ positionId: string; quantity: string }>;
      accounts: Array<{ balances: Array<{ total: string }> }>;
    };

    const expected = new KernelCache();
    const blobs = new BlobDirectory(baseDir, INSTANCE);
    await restoreFromSealedRun(createProvider({ baseDir }), INSTANCE, crashedRunId, {
      loadSnapshot: (anchor) => blobs.read(anchor.blobRef),
      applySnapshot: (blob) => expected.restoreSnapshot(blob),
      applyEntry: (entry) => expected.applyEntry(entry),
    });
    expect(printed.sourceRunId).toBe(crashedRunId);
    expect(printed.openOrders.length).toBeGreaterThan(0);
    expect(printed.openOrders).toEqual([...expected.openOrders()].map((order) => order.clientOrderId).sort());
    expect(printed.orders).toHaveLength(expected.orderCount);
    expect(printed.positions.map((position) => [position.positionId, position.quantity])).toEqual(
      [...expected.positions()].map((position) => [position.positionId, String(position.quantity)]).sort(([a], [b]) => a!.localeCompare(b!)),
    );
    expect(printed.accounts[0]!.balances[0]!.total).toBe(String(expected.account('SIM-001')!.balances[0]!.total));
    expect(await runs(baseDir)).toEqual(before);

    const text = kernel(['--base', baseDir, '--replay-from', crashedRunId, '--replay-only']);
    expect(text.stdout).toContain(`replay-only  ${crashedRunId}:`);
    expect(text.stdout).toContain(`orders       ${expected.orderCount} (${printed.openOrders.length} open)`);
  }, 30_000);

  it('--replay-only of a missing run exits 2 with one line and no run', async () => {
    const result = kernel(['--base', baseDir, '--replay-from', 'no-such-run', '--replay-only']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^kernel: error code=INVALID_REPLAY_SOURCE: replay source no-such-run of instance kernel-001 cannot be used: .*\n$/);
    expect(result.stdout).toBe('');
  });
});
