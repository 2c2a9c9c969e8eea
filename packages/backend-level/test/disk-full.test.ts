/**
 * Disk full, for real: appending on a file system that runs out of space (a 2 MB tmpfs) and in a
 * child process under a file-size limit (`ulimit -f`, EFBIG) must surface DISK, and everything
 * acknowledged before must stay readable once space is back.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TapelogError } from '@tapelog/core';
import { temporaryDirectory } from '@tapelog/test-support';
import { afterAll, expect, test } from 'vitest';
import { createProvider } from '../src/index.js';
import { appendEntries, INSTANCE, manifestFor } from './helpers.js';

const CHILD = fileURLToPath(new URL('./fixtures/append-until-full.mjs', import.meta.url));
const directory = temporaryDirectory('tapelog-level-full-', 'file');
const mountPoint = join(directory, 'tmpfs');
let mounted = false;

afterAll(() => {
  if (mounted) execFileSync('umount', [mountPoint]);
});

/** Mounts a tmpfs of `size`; returns why it could not when it cannot (not root, no permission). */
function mountTmpfs(size: string): string | undefined {
  mkdirSync(mountPoint, { recursive: true });
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mountPoint], { encoding: 'utf8' });
  if (result.status !== 0) return `mount -t tmpfs failed: ${result.error?.message ?? result.stderr.trim()}`;
  mounted = true;
  return undefined;
}

async function readBackAll(baseDir: string, runId: string, acknowledged: number): Promise<void> {
  const store = await createProvider({ baseDir }).openForRecovery(INSTANCE, runId);
  const hwm = await store.highWatermark();
  expect(hwm).toBeGreaterThanOrEqual(acknowledged);
  expect((await store.scanRange(1, hwm)).length).toBe(hwm);
  await store.seal('CrashedRecovered');
  await store.close();
}

test('a full tmpfs surfaces DISK and keeps what was acknowledged', async (context) => {
  const reason = mountTmpfs('2m');
  // Visibly skipped, never passed, where the sandbox forbids mounting.
  if (reason !== undefined) return context.skip(reason);
  const provider = createProvider({ baseDir: mountPoint });
  const store = await provider.openRun(manifestFor('run-full'));
  let acknowledged = 0;
  let failure: unknown;
  for (let attempt = 0; attempt < 1000 && failure === undefined; attempt++) {
    try {
      acknowledged = await store.appendBatch(appendEntries(acknowledged + 1, acknowledged + 100, { payloadLength: 200 }));
    } catch (error) {
      failure = error;
    }
  }
  expect(TapelogError.isInstance(failure)).toBe(true);
  expect((failure as TapelogError).code).toBe('DISK');
  expect((failure as TapelogError).message).toContain('run-full.level');
  expect(acknowledged).toBeGreaterThan(0);
  // The open store still reads everything it acknowledged, on the full disk.
  expect((await store.scanRange(1, acknowledged)).length).toBe(acknowledged);
  expect(await store.highWatermark()).toBe(acknowledged);
  await store.close().catch(() => undefined);

  execFileSync('mount', ['-o', 'remount,size=64m', mountPoint]);
  await readBackAll(mountPoint, 'run-full', acknowledged);
}, 60_000);

test('a file-size limit (EFBIG) in a child process surfaces DISK and keeps what was acknowledged', async () => {
  expect(existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url))), 'build the package first (npx tsup)').toBe(true);
  const baseDir = join(directory, 'limited');
  mkdirSync(baseDir, { recursive: true });
  // ulimit -f counts 1024-byte blocks: 1 MB is far below LevelDB's 4 MB log before a flush.
  const result = spawnSync('bash', ['-c', `ulimit -f 1024; exec "${process.execPath}" "${CHILD}" "${baseDir}" ${INSTANCE} run-limited`], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(result.signal, result.stderr).toBeNull();
  const lines = result.stdout.trim().split('\n');
  const errorLine = lines.find((line) => line.startsWith('error '));
  expect(errorLine, result.stdout.slice(-500) + result.stderr).toBeDefined();
  expect(errorLine!.split(' ')[1]).toBe('DISK');
  expect(errorLine).toContain('run-limited.level');
  const acknowledgedLines = lines.filter((line) => line.startsWith('hwm '));
  const acknowledged = Number(acknowledgedLines[acknowledgedLines.length - 1]?.slice(4) ?? 0);
  expect(acknowledged).toBeGreaterThan(0);
  await readBackAll(baseDir, 'run-limited', acknowledged);
}, 90_000);
