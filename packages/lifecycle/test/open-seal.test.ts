import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createProvider as createMemoryProvider } from '@tapelog/backend-memory';
import { decodeRecord, emptyRegisteredComponents, isRunId, TapelogError } from '@tapelog/core';
import { TestBus, temporaryDirectory } from '@tapelog/test-support';
import { prewarmWriterThread } from '@tapelog/writer';
import { describe, expect, test } from 'vitest';
import { EventStoreLifecycle } from '../src/index.js';
import { boot, bootAndOpen, durable, INSTANCE, listRuns, readRun } from './fixtures/boot.js';
import { AuditMessage } from './fixtures/messages.js';

const identity = {
  binaryHash: 'bin-hash',
  schemaVersion: 3,
  packageVersions: 'pkg-versions',
  featureFlags: ['live'],
  adapterVersions: { binance: '1.2.3' },
  configHash: 'config-hash',
  seed: 42n,
};

describe('open and seal', () => {
  test('open writes a durable RunStarted and the manifest carries the identity and the retention flag', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const components = { ...emptyRegisteredComponents(), strategies: { 'maker-1': 'h1' }, endpoints: ['exec.command'] };
    const booted = await boot({ baseDir, identity });
    await booted.lifecycle.open(components, { bus: booted.bus, environment: { clock: booted.clock } });
    const { lifecycle } = booted;
    expect(lifecycle.highWatermark).toBe(1);
    expect(lifecycle.parentRunId).toBeUndefined();
    const manifest = lifecycle.manifest!;
    expect([manifest.instanceId, manifest.status, manifest.binaryHash, manifest.schemaVersion, manifest.packageVersions, manifest.configHash]).toEqual([
      INSTANCE,
      'Running',
      'bin-hash',
      3,
      'pkg-versions',
      'config-hash',
    ]);
    expect(manifest.featureFlags).toEqual(['live', 'retention=full']);
    expect(manifest.startTsInit).toBe(1_000n);
    expect(manifest.endTsInit).toBeUndefined();
    expect(manifest.seed).toBe(42n);
    expect(isRunId(manifest.runId)).toBe(true);
    expect(manifest.runId.startsWith('1000-')).toBe(true);
    const sealed = await lifecycle.seal(2_000n);
    expect(sealed?.status).toBe('Ended');
    const { entries } = await readRun(baseDir, manifest.runId);
    expect(entries[0]!.topic).toBe('run.lifecycle.RunStarted');
    expect(entries[0]!.payloadType).toBe('RunStarted');
    expect(entries[0]!.tsInit).toBe(1_000n);
    expect(decodeRecord(entries[0]!.payload, 'components')).toEqual(components);
  });

  test('boot starts the writer thread of the LevelDB backend ahead of open, and open takes it', async () => {
    const booted = await boot({ baseDir: temporaryDirectory('tapelog-lifecycle-') });
    // A standby thread for the backend module is already waiting: asking for one starts nothing.
    expect(prewarmWriterThread(import.meta.resolve('@tapelog/backend-level'))).toBe(false);
    await booted.lifecycle.open(emptyRegisteredComponents(), { bus: booted.bus, environment: { clock: booted.clock } });
    expect(booted.lifecycle.highWatermark).toBe(1);
    expect((await booted.lifecycle.seal())?.status).toBe('Ended');
  });

  test('retention modes are recorded as bounded and snapshot tags', async () => {
    for (const [retention, tag] of [
      [{ kind: 'Bounded', keepLast: 3 }, 'bounded'],
      [{ kind: 'SnapshotAnchored' }, 'snapshot'],
    ] as const) {
      const booted = await bootAndOpen({ baseDir: temporaryDirectory('tapelog-lifecycle-'), retention });
      expect(booted.lifecycle.manifest!.featureFlags).toEqual([`retention=${tag}`]);
      await booted.lifecycle.seal();
    }
  });

  test('a custom registry captures a custom message at seq 2, and dispose seals the run', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const booted = await bootAndOpen({ baseDir });
    booted.bus.publish('events.test.audit', new AuditMessage(42));
    await durable(booted, 2);
    const runId = booted.lifecycle.runId!;
    await booted.lifecycle.dispose();
    const { manifest, entries } = await readRun(baseDir, runId);
    expect(manifest.status).toBe('Ended');
    expect([entries[1]!.seq, entries[1]!.payloadType, entries[1]!.topic, Array.from(entries[1]!.payload)]).toEqual([
      2,
      'AuditMessage',
      'events.test.audit',
      [42],
    ]);
    expect(entries.at(-1)!.payloadType).toBe('RunEnded');
  });

  test('close seals Ended with RunEnded as the final entry and the chain head in the manifest', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const booted = await bootAndOpen({ baseDir });
    booted.bus.publish('events.test.audit', new AuditMessage(1));
    const runId = booted.lifecycle.runId!;
    const sealed = await booted.lifecycle.seal(5_000n);
    expect(sealed?.highWatermark).toBe(3);
    const listed = await listRuns(baseDir);
    expect(listed.map((run) => [run.runId, run.status, run.highWatermark])).toEqual([[runId, 'Ended', 3]]);
    expect(listed[0]!.chainHead).toMatch(/^[0-9a-f]{64}$/);
    const { entries } = await readRun(baseDir, runId);
    expect([entries[2]!.topic, entries[2]!.payloadType, entries[2]!.payload.length, entries[2]!.tsInit]).toEqual([
      'run.lifecycle.RunEnded',
      'RunEnded',
      0,
      5_000n,
    ]);
    expect(await booted.lifecycle.seal()).toBeUndefined();
  });

  test('seal clears the tap: dispatches after seal are not captured', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const booted = await bootAndOpen({ baseDir });
    const runId = booted.lifecycle.runId!;
    await booted.lifecycle.seal();
    expect(booted.bus.tap).toBeUndefined();
    booted.bus.publish('events.test.audit', new AuditMessage(9));
    const { entries } = await readRun(baseDir, runId);
    expect(entries.map((entry) => entry.payloadType)).toEqual(['RunStarted', 'RunEnded']);
  });

  test('a second open seals the leftover session first; both runs end Ended with distinct ids', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const booted = await bootAndOpen({ baseDir });
    const first = booted.lifecycle.runId!;
    await booted.lifecycle.open(emptyRegisteredComponents(), { bus: booted.bus, environment: { clock: booted.clock } });
    const second = booted.lifecycle.runId!;
    expect(second).not.toBe(first);
    expect(booted.lifecycle.highWatermark).toBe(1);
    await booted.lifecycle.dispose();
    const runs = await listRuns(baseDir);
    expect(runs.map((run) => run.status)).toEqual(['Ended', 'Ended']);
    expect(new Set(runs.map((run) => run.runId))).toEqual(new Set([first, second]));
  });

  test('the snapshot anchorer records an anchor with the blob content hash, readable after seal', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const booted = await bootAndOpen({ baseDir });
    const anchorer = booted.lifecycle.snapshotAnchorer()!;
    const blob = new TextEncoder().encode('cache-state');
    const anchor = await anchorer({ blobRef: 'cache://snapshots/1', blob });
    expect(anchor.highWatermark).toBe(1);
    expect(anchor.contentHash).toBe(`blake3:${(await import('@tapelog/core')).toHex((await import('@tapelog/core')).blake3(blob))}`);
    const runId = booted.lifecycle.runId!;
    await booted.lifecycle.seal();
    const store = await (await import('@tapelog/backend-level')).createProvider({ baseDir }).openSealed(INSTANCE, runId);
    expect(await store.latestSnapshotAnchor()).toEqual(anchor);
    await store.close();
    await expect(anchorer({ blobRef: 'late', blob })).rejects.toMatchObject({ code: 'WRITER_CLOSED' });
  });

  test('without a config the event store is off: open, seal and restore do nothing', async () => {
    const bus = new TestBus();
    const booted = await boot(undefined);
    await booted.lifecycle.open(emptyRegisteredComponents(), { bus, environment: { clock: booted.clock } });
    expect(booted.lifecycle.enabled).toBe(false);
    expect(bus.tap).toBeUndefined();
    expect(booted.lifecycle.runId).toBeUndefined();
    expect(await booted.lifecycle.seal()).toBeUndefined();
    expect(await booted.lifecycle.restoreParentCache({ loadSnapshot: () => undefined, applySnapshot: () => {}, applyEntry: () => true })).toBeUndefined();
  });

  test('the memory opener with the inline writer captures and seals without creating files', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const provider = createMemoryProvider();
    const booted = await bootAndOpen({ baseDir }, { openBackend: () => ({ provider }), writerKind: 'inline' });
    booted.bus.publish('events.test.audit', new AuditMessage(7));
    await durable(booted, 2);
    expect(booted.lifecycle.highWatermark).toBe(2);
    const runId = booted.lifecycle.runId!;
    await booted.lifecycle.seal();
    const [manifest] = await provider.listRuns(INSTANCE);
    expect([manifest!.runId, manifest!.status, manifest!.highWatermark, manifest!.instanceId]).toEqual([runId, 'Ended', 3, INSTANCE]);
    expect(readdirSync(baseDir)).toEqual([]);
  });

  test('identical simulated runs on the inline writer produce identical entries', async () => {
    const hashes: string[][] = [];
    for (let round = 0; round < 2; round++) {
      const provider = createMemoryProvider();
      let uuid = 0;
      const booted = await bootAndOpen(
        { baseDir: temporaryDirectory('tapelog-lifecycle-'), identity: { seed: 42n } },
        {
          openBackend: () => ({ provider }),
          writerKind: 'inline',
          runIdUuid: () => `abcdef0${uuid++}-0000-4000-8000-000000000000`,
        },
      );
      booted.clock.advance(10_000n);
      booted.bus.publish('events.test.audit', new AuditMessage(1));
      booted.clock.advance(10_000n);
      booted.bus.publish('events.test.audit', new AuditMessage(2));
      await durable(booted, 3);
      const sealed = await booted.lifecycle.seal(booted.clock.now());
      const store = await provider.openSealed(INSTANCE, sealed!.runId);
      hashes.push((await store.scanRange(1, 10)).map((entry) => `${entry.seq}:${entry.payloadType}:${entry.tsInit}:${entry.tsPublish}`));
      expect(sealed!.seed).toBe(42n);
      hashes.push([sealed!.chainHead!, sealed!.runId]);
    }
    expect(hashes[0]).toEqual(hashes[2]);
    expect(hashes[1]).toEqual(hashes[3]);
    expect(hashes[0]).toEqual(['1:RunStarted:1000:1000', '2:AuditMessage:11000:11000', '3:AuditMessage:21000:21000', '4:RunEnded:21000:21000']);
  });

  test('run ids are <startTsInit>-<8 hex characters>', async () => {
    const booted = await bootAndOpen({ baseDir: temporaryDirectory('tapelog-lifecycle-') }, {}, new (await import('@tapelog/core')).SimulatedClock(123_456n));
    expect(booted.lifecycle.runId).toMatch(/^123456-[0-9a-f]{8}$/);
    await booted.lifecycle.seal();
  });

  test('an opener error surfaces from boot and names the cause', async () => {
    await expect(
      EventStoreLifecycle.boot(
        { baseDir: temporaryDirectory('tapelog-lifecycle-') },
        INSTANCE,
        { now: () => 0n },
        {
          openBackend: () => {
            throw new TapelogError('BACKEND', 'backend error: test backend open failed');
          },
        },
      ),
    ).rejects.toMatchObject({ code: 'BACKEND', message: expect.stringContaining('test backend open failed') });
  });

  test('invalid configs are rejected before touching the disk', async () => {
    await expect(boot({ baseDir: '' })).rejects.toThrow(TypeError);
    await expect(boot({ baseDir: temporaryDirectory('tapelog-lifecycle-'), channelCapacity: 0 })).rejects.toThrow(RangeError);
    await expect(
      boot({ baseDir: temporaryDirectory('tapelog-lifecycle-') }, {}, undefined).then(() =>
        EventStoreLifecycle.boot({ baseDir: 'x' }, '../escape', { now: () => 0n }),
      ),
    ).rejects.toThrow(TypeError);
  });

  test('the marker-less run leaves no marker files', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const booted = await bootAndOpen({ baseDir });
    booted.bus.publish('data.quotes.ETHUSDT', { instrumentId: 'ETHUSDT', bid: 1n, ask: 2n });
    await booted.lifecycle.seal();
    expect(readdirSync(join(baseDir, INSTANCE)).some((name) => name.includes('markers'))).toBe(false);
    expect(booted.lifecycle.hasMarkers).toBe(false);
  });
});
