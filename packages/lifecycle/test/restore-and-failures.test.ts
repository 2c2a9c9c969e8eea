import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createProvider as createLevelProvider } from '@tapelog/backend-level';
import { createProvider as createMemoryProvider } from '@tapelog/backend-memory';
import { diskError, type EventStore, type EventStoreEntry, type EventStoreProvider, emptyRegisteredComponents, TapelogError } from '@tapelog/core';
import type { RestoreTarget } from '@tapelog/recovery';
import { temporaryDirectory } from '@tapelog/test-support';
import { describe, expect, test } from 'vitest';
import { boot, bootAndOpen, durable, INSTANCE, listRuns } from './fixtures/boot.js';
import { AuditMessage } from './fixtures/messages.js';

const STUCK_OPEN_CHILD = fileURLToPath(new URL('./fixtures/stuck-open-child.mjs', import.meta.url));

/** A cache of AuditMessage values: the snapshot is the values so far, the tail appends. */
class AuditCache implements RestoreTarget {
  values: number[] = [];
  readonly blobs = new Map<string, Uint8Array>();

  snapshot(): Uint8Array {
    return Uint8Array.from(this.values);
  }

  loadSnapshot(anchor: { blobRef: string }) {
    return this.blobs.get(anchor.blobRef);
  }

  applySnapshot(blob: Uint8Array) {
    this.values = Array.from(blob);
  }

  applyEntry(entry: EventStoreEntry) {
    if (entry.payloadType !== 'AuditMessage') return false;
    this.values.push(entry.payload[0]!);
    return true;
  }
}

/** Runs a session that captures 1..5, anchoring a snapshot after 3, then seals or abandons it. */
async function sourceRun(baseDir: string, blobs: Map<string, Uint8Array>, end: 'seal' | 'crash'): Promise<{ runId: string; live: number[] }> {
  const booted = await bootAndOpen({ baseDir });
  const live: number[] = [];
  for (const value of [1, 2, 3]) {
    booted.bus.publish('events.test.audit', new AuditMessage(value));
    live.push(value);
  }
  const blob = Uint8Array.from(live);
  blobs.set('cache://snapshots/3', blob);
  await booted.lifecycle.snapshotAnchorer()!({ blobRef: 'cache://snapshots/3', blob });
  for (const value of [4, 5]) {
    booted.bus.publish('events.test.audit', new AuditMessage(value));
    live.push(value);
  }
  await durable(booted, 6);
  const runId = booted.lifecycle.runId!;
  if (end === 'seal') await booted.lifecycle.seal();
  else await booted.lifecycle.writer!.abandon();
  return { runId, live };
}

describe('restoring the parent cache', () => {
  test('a crashed parent restores from its anchored snapshot plus the tail after it', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const target = new AuditCache();
    const { runId, live } = await sourceRun(baseDir, target.blobs, 'crash');
    const booted = await boot({ baseDir });
    expect(booted.lifecycle.parentRunId).toBe(runId);
    const report = await booted.lifecycle.restoreParentCache(target);
    expect(target.values).toEqual(live);
    expect([report!.fromSeq, report!.toSeq, report!.applied]).toEqual([5, 6, 2]);
  });

  test('a configured replay run beats the recovered parent and is linked as the new parent', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const target = new AuditCache();
    const source = await sourceRun(baseDir, target.blobs, 'seal');
    const crashed = await sourceRun(baseDir, new Map(), 'crash');
    const booted = await boot({ baseDir, replayFromRunId: source.runId });
    expect(booted.lifecycle.recovered.map((run) => run.runId)).toEqual([crashed.runId]);
    expect(booted.lifecycle.parentRunId).toBe(source.runId);
    expect(booted.lifecycle.isReplayConfigured).toBe(true);
    await booted.lifecycle.restoreParentCache(target);
    expect(target.values).toEqual(source.live);
    await booted.lifecycle.open(emptyRegisteredComponents(), { bus: booted.bus, environment: { clock: booted.clock } });
    expect(booted.lifecycle.manifest!.parentRunId).toBe(source.runId);
    await booted.lifecycle.seal();
  });

  test('a snapshot blob whose content hash differs fails the restore with "content_hash mismatch"', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const target = new AuditCache();
    await sourceRun(baseDir, target.blobs, 'crash');
    target.blobs.set('cache://snapshots/3', Uint8Array.from([9, 9, 9]));
    const booted = await boot({ baseDir });
    await expect(booted.lifecycle.restoreParentCache(target)).rejects.toMatchObject({
      code: 'CORRUPTED',
      message: expect.stringContaining('cache://snapshots/3'),
    });
  });

  test('a missing or quarantined replay source is rejected and no run is opened', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const missing = await boot({ baseDir, replayFromRunId: '123-deadbeef' });
    await expect(missing.lifecycle.open(emptyRegisteredComponents(), { bus: missing.bus, environment: { clock: missing.clock } })).rejects.toMatchObject({
      code: 'INVALID_REPLAY_SOURCE',
    });
    expect(missing.lifecycle.runId).toBeUndefined();
    expect(missing.bus.tap).toBeUndefined();
    const provider = createLevelProvider({ baseDir });
    const store = await provider.openRun({
      ...(await import('@tapelog/core')).newManifest({ runId: '456-deadbeef', instanceId: INSTANCE, startTsInit: 456n }),
    });
    await store.seal('Quarantined');
    await store.close();
    const quarantined = await boot({ baseDir, replayFromRunId: '456-deadbeef' });
    await expect(
      quarantined.lifecycle.open(emptyRegisteredComponents(), { bus: quarantined.bus, environment: { clock: quarantined.clock } }),
    ).rejects.toMatchObject({ code: 'INVALID_REPLAY_SOURCE', message: expect.stringContaining('456-deadbeef') });
    expect((await listRuns(baseDir)).map((run) => run.runId)).toEqual(['456-deadbeef']);
  });
});

/** A memory provider whose stores' appends are replaced by `append`. */
function providerWithAppend(append: (store: EventStore) => EventStore['appendBatch']): EventStoreProvider {
  const inner = createMemoryProvider();
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'openRun') {
        return async (...args: Parameters<EventStoreProvider['openRun']>) => {
          const store = await target.openRun(...args);
          return new Proxy(store, {
            get(storeTarget, storeProperty) {
              if (storeProperty === 'appendBatch') return append(storeTarget);
              const value = Reflect.get(storeTarget, storeProperty);
              return typeof value === 'function' ? value.bind(storeTarget) : value;
            },
          });
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('open failures', () => {
  test('a backend that never commits RunStarted times out with the configured limit, and no tap is installed', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const provider = providerWithAppend((store) => async (entries) => {
      await gate;
      return store.appendBatch(entries);
    });
    const booted = await boot(
      { baseDir: temporaryDirectory('tapelog-lifecycle-'), runStartedTimeoutMs: 50 },
      { openBackend: () => ({ provider }), writerKind: 'inline' },
    );
    const started = performance.now();
    const error = await booted.lifecycle
      .open(emptyRegisteredComponents(), { bus: booted.bus, environment: { clock: booted.clock } })
      .catch((caught: unknown) => caught);
    expect(TapelogError.hasCode(error, 'TIMEOUT')).toBe(true);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(booted.bus.tap).toBeUndefined();
    release();
  });

  test('a process whose backend never answers fails open and then exits by itself: the stuck writer thread is terminated', async () => {
    const child = spawn(process.execPath, [STUCK_OPEN_CHILD, temporaryDirectory('tapelog-lifecycle-')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const started = performance.now();
    const exit = await new Promise<{ code: number | null; hung: boolean }>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve({ code: null, hung: true });
      }, 20_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, hung: false });
      });
    });
    expect(exit, `stdout: ${stdout} stderr: ${stderr}`).toEqual({ code: 0, hung: false });
    expect(stdout).toContain('open failed TIMEOUT');
    expect(stdout).toMatch(/did not answer within 1000 ms; its writer was terminated/);
    expect(performance.now() - started).toBeLessThan(15_000);
  }, 30_000);

  test('a writer halting during the RunStarted wait fails open with HALTED naming the reason', async () => {
    const provider = providerWithAppend(() => async () => {
      throw diskError('ENOSPC: no space left on device');
    });
    const booted = await boot({ baseDir: temporaryDirectory('tapelog-lifecycle-') }, { openBackend: () => ({ provider }), writerKind: 'inline' });
    const error = await booted.lifecycle
      .open(emptyRegisteredComponents(), { bus: booted.bus, environment: { clock: booted.clock } })
      .catch((caught: unknown) => caught);
    expect(TapelogError.hasCode(error, 'HALTED')).toBe(true);
    expect((error as Error).message).toContain('ENOSPC');
    expect(booted.lifecycle.runId).toBeUndefined();
  });

  test('the worker writer on a missing backend module fails open with a clear error', async () => {
    const booted = await boot(
      { baseDir: temporaryDirectory('tapelog-lifecycle-') },
      {
        openBackend: (config) => ({
          provider: createLevelProvider({ baseDir: config.baseDir }),
          module: { module: 'file:///nonexistent/backend.js', options: {} },
        }),
      },
    );
    await expect(booted.lifecycle.open(emptyRegisteredComponents(), { bus: booted.bus, environment: { clock: booted.clock } })).rejects.toMatchObject({
      code: 'WRITER_START_FAILED',
      message: expect.stringContaining('file:///nonexistent/backend.js'),
    });
  });
});
