/** Level-specific open rules, on-disk layout and persistence across provider instances. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { temporaryDirectory } from '@tapelog/test-support';
import { beforeEach, describe, expect, test } from 'vitest';
import { createProvider, type LevelProvider, markersPath, runPath } from '../src/index.js';
import { appendEntries, appendEntry, INSTANCE, manifestFor, rejectionOf } from './helpers.js';

let directory: string;
let provider: LevelProvider;

beforeEach(() => {
  directory = temporaryDirectory('tapelog-level-');
  provider = createProvider({ baseDir: directory });
});

describe('layout', () => {
  test('a run is a LevelDB directory at <baseDir>/<instanceId>/<runId>.level', async () => {
    const store = await provider.openRun(manifestFor('1700000000-aaaa1111'));
    const expected = join(directory, INSTANCE, '1700000000-aaaa1111.level');
    expect(store.location).toBe(expected);
    expect(runPath(directory, INSTANCE, '1700000000-aaaa1111')).toBe(expected);
    expect(markersPath(directory, INSTANCE, '1700000000-aaaa1111')).toBe(join(directory, INSTANCE, '1700000000-aaaa1111.markers.level'));
    expect(readdirSync(expected)).toContain('CURRENT');
    expect(readdirSync(expected)).toContain('tapelog-manifest');
    await store.close();
  });

  test('ids that could escape the base directory are refused', async () => {
    await expect(provider.openRun(manifestFor('../escape'))).rejects.toThrow(TypeError);
    await expect(provider.listRuns('..')).rejects.toThrow(TypeError);
  });

  test('options must be plain data with a baseDir', () => {
    expect(() => createProvider({} as never)).toThrow(TypeError);
    expect(structuredClone({ baseDir: directory })).toEqual({ baseDir: directory });
  });
});

describe('persistence and open rules', () => {
  test('entries, indices and the anchor survive a new provider; recovery recomputes hwm and end time', async () => {
    const store = await provider.openRun(manifestFor('run-1'));
    await store.appendBatch([
      appendEntry(1, { tsInit: 10n, indexKeys: [{ kind: 'client_order_id', key: 'O-1' }] }),
      appendEntry(2, { tsInit: 25n }),
      appendEntry(3, { tsInit: 17n }),
    ]);
    await store.recordSnapshotAnchor({ highWatermark: 2, blobRef: 'cache://snapshots/run-1/2', contentHash: 'blake3:abc' });
    await store.close();

    const restarted = createProvider({ baseDir: directory });
    const crashed = await rejectionOf(restarted.openRun(manifestFor('run-1')));
    expect(crashed.code).toBe('CRASHED_PREDECESSOR');
    expect(crashed.message).toContain('run-1.level');

    const recovered = await restarted.openForRecovery(INSTANCE, 'run-1');
    expect(await recovered.highWatermark()).toBe(3);
    expect((await recovered.manifest()).highWatermark).toBe(3);
    expect(await recovered.lookup('client_order_id', 'O-1')).toBe(1);
    expect(await recovered.latestSnapshotAnchor()).toEqual({ highWatermark: 2, blobRef: 'cache://snapshots/run-1/2', contentHash: 'blake3:abc' });
    const sealed = await recovered.seal('CrashedRecovered');
    expect(sealed.endTsInit).toBe(25n);
    expect(sealed.highWatermark).toBe(3);
    await recovered.close();

    const again = await rejectionOf(createProvider({ baseDir: directory }).openRun(manifestFor('run-1')));
    expect(again.code).toBe('RUN_SEALED');
    expect(again.message).toContain('run-1.level');
  });

  test('openForRecovery refuses a sealed run and a missing one', async () => {
    const store = await provider.openRun(manifestFor('run-1'));
    await store.seal('Ended');
    await store.close();
    const sealed = await rejectionOf(provider.openForRecovery(INSTANCE, 'run-1'));
    expect(sealed.code).toBe('RUN_SEALED');
    expect(sealed.message).toContain('run-1.level');
    const missing = await rejectionOf(provider.openForRecovery(INSTANCE, 'run-404'));
    expect(missing.code).toBe('RUN_NOT_FOUND');
    expect(missing.message).toContain('run-404.level');
    expect(existsSync(runPath(directory, INSTANCE, 'run-404'))).toBe(false);
  });

  test('openSealed is read-only and rejects Running and missing runs', async () => {
    const store = await provider.openRun(manifestFor('run-1'));
    await store.appendBatch(appendEntries(1, 2));
    const running = await rejectionOf(provider.openSealed(INSTANCE, 'run-1'));
    expect(running.code).toBe('RUN_ALREADY_OPEN');
    await store.close();
    const notSealed = await rejectionOf(provider.openSealed(INSTANCE, 'run-1'));
    expect(notSealed.code).toBe('RUN_NOT_SEALED');
    expect(notSealed.message).toContain('run-1.level');
    expect(await rejectionOf(provider.openSealed(INSTANCE, 'nope'))).toMatchObject({ code: 'RUN_NOT_FOUND', message: expect.stringContaining('nope.level') });

    const recovered = await provider.openForRecovery(INSTANCE, 'run-1');
    await recovered.seal('CrashedRecovered');
    await recovered.close();
    const reader = await provider.openSealed(INSTANCE, 'run-1');
    expect(await reader.highWatermark()).toBe(2);
    expect((await reader.scanRange(1, 2)).map((entry) => entry.seq)).toEqual([1, 2]);
    expect((await rejectionOf(reader.appendBatch([appendEntry(3)]))).code).toBe('CLOSED');
    expect((await rejectionOf(reader.appendBatch([]))).code).toBe('CLOSED');
    expect((await rejectionOf(reader.recordSnapshotAnchor({ highWatermark: 1, blobRef: 'b', contentHash: 'c' }))).code).toBe('CLOSED');
    expect((await rejectionOf(reader.seal('Ended'))).code).toBe('CLOSED');
    await reader.close();
  });

  test('a run open in this process cannot be opened a second time', async () => {
    const store = await provider.openRun(manifestFor('run-1'));
    const other = createProvider({ baseDir: directory });
    for (const attempt of [other.openRun(manifestFor('run-1')), other.openForRecovery(INSTANCE, 'run-1'), provider.openSealed(INSTANCE, 'run-1')]) {
      const error = await rejectionOf(attempt);
      expect(error.code).toBe('RUN_ALREADY_OPEN');
      expect(error.message).toContain('run-1.level');
    }
    await store.close();
    const reopened = await other.openForRecovery(INSTANCE, 'run-1');
    await reopened.close();
  });

  test('close is idempotent and every later call is CLOSED', async () => {
    const store = await provider.openRun(manifestFor('run-1'));
    await store.appendBatch(appendEntries(1, 1));
    await Promise.all([store.close(), store.close()]);
    await store.close();
    expect((await rejectionOf(store.scanSeq(1))).code).toBe('CLOSED');
    expect((await rejectionOf(store.appendBatch([appendEntry(2)]))).code).toBe('CLOSED');
    expect((await rejectionOf(store.manifest())).code).toBe('CLOSED');
  });

  test('operations queued before close still complete', async () => {
    const store = await provider.openRun(manifestFor('run-1'));
    const append = store.appendBatch(appendEntries(1, 50));
    const closing = store.close();
    expect(await append).toBe(50);
    await closing;
    const recovered = await provider.openForRecovery(INSTANCE, 'run-1');
    expect(await recovered.highWatermark()).toBe(50);
    await recovered.close();
  });

  test('a run directory that holds no LevelDB is CORRUPTED, and an unsupported marker says so', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(runPath(directory, INSTANCE, 'run-empty'), { recursive: true });
    const empty = await rejectionOf(provider.openForRecovery(INSTANCE, 'run-empty'));
    expect(empty.code).toBe('CORRUPTED');
    expect(empty.message).toContain('run-empty.level');

    const store = await provider.openRun(manifestFor('run-2'));
    await store.close();
    await provider.tamper.setFormatMarker(INSTANCE, 'run-2', 7);
    const future = await rejectionOf(provider.openForRecovery(INSTANCE, 'run-2'));
    expect(future.code).toBe('UNSUPPORTED_FORMAT');
    expect(future.message).toContain('run-2.level');
  });
});
