import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EventStoreEntry } from '@tapelog/core';
import { temporaryDirectory } from '@tapelog/test-support';
import { describe, expect, test } from 'vitest';
import { boot, readRun } from './fixtures/boot.js';

const CHILD = fileURLToPath(new URL('./fixtures/crash-child.mjs', import.meta.url));

/** Starts the child, waits until it reports `atLeast` durable entries, then kills it with SIGKILL. */
function runAndKill(baseDir: string, atLeast: number): Promise<{ runId: string; lastDurable: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, baseDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let runId = '';
    let lastDurable = 0;
    let buffered = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child did not reach ${atLeast} durable entries in time; stderr: ${stderr}`));
    }, 60_000);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const [kind, value] = line.split(' ');
        if (kind === 'run') runId = value!;
        if (kind === 'durable') lastDurable = Number(value);
      }
      if (lastDurable >= atLeast && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' && runId) resolve({ runId, lastDurable });
      else reject(new Error(`child exited without being killed (signal ${signal}); stderr: ${stderr}`));
    });
  });
}

describe('a kernel process killed with SIGKILL', () => {
  test('is recovered CrashedRecovered at the next boot, linked as parent, and its tail restores into a fresh cache', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const { runId, lastDurable } = await runAndKill(baseDir, 50);
    const booted = await boot({ baseDir });
    expect(booted.lifecycle.recovered.map((run) => [run.runId, run.status])).toEqual([[runId, 'CrashedRecovered']]);
    const recovered = booted.lifecycle.recovered[0]!;
    expect(recovered.highWatermark).toBeGreaterThanOrEqual(lastDurable);
    expect(booted.lifecycle.parentRunId).toBe(runId);

    const applied: number[] = [];
    const report = await booted.lifecycle.restoreParentCache({
      loadSnapshot: () => undefined,
      applySnapshot: () => {},
      applyEntry: (entry: EventStoreEntry) => {
        if (entry.payloadType !== 'AuditMessage') return false;
        applied.push(entry.payload[0]!);
        return true;
      },
    });
    expect(report!.toSeq).toBe(recovered.highWatermark);
    expect(report!.applied).toBe(recovered.highWatermark - 1);
    expect(applied).toEqual(Array.from({ length: applied.length }, (_, i) => (i + 1) & 0xff));

    const { manifest, entries } = await readRun(baseDir, runId);
    expect(manifest.status).toBe('CrashedRecovered');
    expect(entries).toHaveLength(recovered.highWatermark);

    await booted.lifecycle.open((await import('@tapelog/core')).emptyRegisteredComponents(), { bus: booted.bus, environment: { clock: booted.clock } });
    expect(booted.lifecycle.manifest!.parentRunId).toBe(runId);
    await booted.lifecycle.seal();
  }, 90_000);
});
