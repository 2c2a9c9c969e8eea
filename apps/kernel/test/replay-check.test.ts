/**
 * `kernel replay-check` on recorded simulated runs: ten seeds reproduce their chain heads; a copy
 * with one payload byte changed names the seq of that entry as the first difference.
 */
import { spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProvider } from '@tapelog/backend-level';
import { encodeEntry } from '@tapelog/core';
import { temporaryDirectory } from '@tapelog/test-support';
import { describe, expect, it } from 'vitest';
import { runKernel } from '../src/run-kernel.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const INSTANCE = 'kernel-001';

function replayCheck(runPath: string) {
  const result = spawnSync(process.execPath, [MAIN, 'replay-check', runPath], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Records a run with the built kernel (the build replay-check compares against) and returns its directory. */
function record(baseDir: string, seed: number): string {
  const result = spawnSync(process.execPath, [MAIN, 'run', '--base', baseDir, '--seed', String(seed), '--duration', '1s', '--json'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(result.status, result.stderr).toBe(0);
  return join(baseDir, INSTANCE, `${(JSON.parse(result.stdout) as { runId: string }).runId}.level`);
}

describe('kernel replay-check', () => {
  it('reproduces ten recorded seeds', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const runPath = record(temporaryDirectory(), seed);
      const result = replayCheck(runPath);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^reproduced run_id=\S+ entries=\d+ chain_head=[0-9a-f]{64}\n$/);
      expect(result.stderr).toBe('');
    }
  }, 300_000);

  it('names the first differing seq when one payload byte of a copy is changed', async () => {
    const baseDir = temporaryDirectory();
    const runPath = record(baseDir, 4);
    const copyBase = temporaryDirectory();
    cpSync(join(baseDir, INSTANCE), join(copyBase, INSTANCE), { recursive: true });
    const runId = runPath.slice(runPath.lastIndexOf('/') + 1, -'.level'.length);
    const provider = createProvider({ baseDir: copyBase });
    const store = await provider.openSealed(INSTANCE, runId);
    const target = (await store.scanSeq(40))!;
    await store.close();
    const payload = Uint8Array.from(target.payload);
    payload[payload.length - 1] = payload[payload.length - 1]! ^ 0x01;
    await provider.tamper.overwriteEntry(INSTANCE, runId, 40, encodeEntry({ ...target, payload }));

    const result = replayCheck(join(copyBase, INSTANCE, `${runId}.level`));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^differs run_id=${runId} first_differing_seq=40 `));
    expect(replayCheck(runPath).code).toBe(0);
  }, 120_000);

  it('warns when the run was recorded by another build', async () => {
    const baseDir = temporaryDirectory();
    // Recorded in process: the identity is that of the source module, not the built bundle.
    const summary = await runKernel({ baseDir, seed: 2n, duration: 2_000_000_000n, verify: false });
    const result = replayCheck(join(baseDir, INSTANCE, `${summary.runId}.level`));
    expect(result.stdout).toMatch(/^reproduced /);
    expect(result.stderr).toMatch(
      /^warning: run \S+ was recorded by another build \(binary_hash blake3:[0-9a-f]{64}, current blake3:[0-9a-f]{64}\): a difference may come from the code\n$/,
    );
  }, 120_000);
});
