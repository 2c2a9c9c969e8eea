/**
 * The durable high-watermark of a `Running` run for `tapelog runs`: its stored manifest says 0
 * until the seal, so the figure is recomputed from storage the way the recovery sweep would, on a
 * private copy of the run's files. The run itself is never opened, so a live writer keeps its
 * lock and nothing of the run changes (LevelDB replays its log on open; recovery would seal).
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPath as levelRunPath } from '@tapelog/backend-level';
import type { EventStoreProvider } from '@tapelog/core';
import { readerSpawnCommand } from '@tapelog/core/reader-spawn';
import { levelProvider, lmdbProvider } from './open-run.js';
import { lmdbBaseDirOf } from './store-layout.js';
import { isPostgresUrl } from './store-url.js';

/** How many times a copy that does not open (files copied while the writer changed them) is taken again. */
const COPY_ATTEMPTS = 3;

interface LocalRun {
  directory: string;
  providerAt(baseDir: string): Promise<EventStoreProvider>;
}

async function localRun(store: string, instanceId: string, runId: string): Promise<LocalRun | undefined> {
  if (isPostgresUrl(store)) return undefined; // a PostgreSQL run's manifest is read inside the server's transaction
  const lmdbBaseDir = lmdbBaseDirOf(store);
  if (lmdbBaseDir === undefined) return { directory: levelRunPath(store, instanceId, runId), providerAt: async (baseDir) => levelProvider(baseDir) };
  const { runPath } = await import('@tapelog/backend-lmdb');
  return { directory: runPath(lmdbBaseDir, instanceId, runId), providerAt: lmdbProvider };
}

async function highWatermarkOfCopy(run: LocalRun, instanceId: string, runId: string): Promise<number> {
  const copyBase = mkdtempSync(join(tmpdir(), 'tapelog-runs-'));
  try {
    cpSync(run.directory, join(copyBase, instanceId, basename(run.directory)), { recursive: true });
    const opened = await (await run.providerAt(copyBase)).openForRecovery(instanceId, runId);
    try {
      return await opened.highWatermark();
    } finally {
      await opened.close();
    }
  } finally {
    rmSync(copyBase, { recursive: true, force: true });
  }
}

/**
 * The durable high-watermark of the `Running` run `runId`, read from a copy of its files, or
 * undefined for a store whose runs are not local directories. Rejects when no copy opens.
 */
export async function durableHighWatermarkOfRunning(store: string, instanceId: string, runId: string): Promise<number | undefined> {
  const run = await localRun(store, instanceId, runId);
  if (run === undefined) return undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await highWatermarkOfCopy(run, instanceId, runId);
    } catch (error) {
      if (attempt >= COPY_ATTEMPTS) throw error;
    }
  }
}

/**
 * As `durableHighWatermarkOfRunning`, read in a child process (high-watermark-worker): a run whose
 * read brings its reader down is reported as an error, never taking the caller with it.
 */
export function durableHighWatermarkIsolated(store: string, instanceId: string, runId: string): Promise<number | undefined> {
  if (isPostgresUrl(store)) return Promise.resolve(undefined);
  const worker = fileURLToPath(new URL('./high-watermark-worker.js', import.meta.url));
  const command = readerSpawnCommand([worker, store, instanceId, runId]);
  return new Promise((resolve, reject) => {
    const child = spawn(command.command, command.args, { stdio: ['ignore', 'pipe', 'ignore'] });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== null || code !== 0) {
        return reject(new Error(`its reader process was killed by ${signal ?? `exit code ${code}`}; the run may be damaged, verify it after recovery`));
      }
      try {
        const answer = JSON.parse(Buffer.concat(output).toString('utf8')) as { highWatermark?: number | null; error?: string };
        if (answer.error !== undefined) return reject(new Error(answer.error));
        resolve(answer.highWatermark ?? undefined);
      } catch (error) {
        reject(error);
      }
    });
  });
}
