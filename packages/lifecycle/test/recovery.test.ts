import { createProvider } from '@tapelog/backend-level';
import { buildAppendEntry, emptyRegisteredComponents, newManifest, runEndedDraft, SimulatedClock } from '@tapelog/core';
import { temporaryDirectory } from '@tapelog/test-support';
import { describe, expect, test } from 'vitest';
import { runStartedDraft } from '../src/index.js';
import { boot, bootAndOpen, durable, INSTANCE, listRuns, readRun } from './fixtures/boot.js';
import { AuditMessage } from './fixtures/messages.js';

/** Leaves a Running run on disk as a crashed process would, at each point of the crash matrix. */
async function crashedRun(
  baseDir: string,
  runId: string,
  startTsInit: bigint,
  stage: 'before-enqueue' | 'after-enqueue-before-commit' | 'after-commit-before-anchor' | 'after-anchor',
): Promise<void> {
  const store = await createProvider({ baseDir }).openRun(newManifest({ runId, instanceId: INSTANCE, startTsInit }));
  if (stage === 'after-commit-before-anchor' || stage === 'after-anchor') {
    await store.appendBatch([buildAppendEntry(runStartedDraft(emptyRegisteredComponents(), startTsInit), 1, startTsInit)]);
  }
  if (stage === 'after-anchor') await store.recordSnapshotAnchor({ highWatermark: 1, blobRef: 'cache://snapshots/1', contentHash: 'blake3:x' });
  await store.close();
}

describe('recovery at boot', () => {
  for (const [stage, hwm] of [
    ['before-enqueue', 0],
    ['after-enqueue-before-commit', 0],
    ['after-commit-before-anchor', 1],
    ['after-anchor', 1],
  ] as const) {
    test(`crash ${stage}: sealed CrashedRecovered with hwm ${hwm}, made the parent, linked by the next run`, async () => {
      const baseDir = temporaryDirectory('tapelog-lifecycle-');
      await crashedRun(baseDir, '500-deadbeef', 500n, stage);
      const booted = await boot({ baseDir });
      expect(booted.lifecycle.recovered.map((run) => [run.runId, run.status, run.highWatermark])).toEqual([['500-deadbeef', 'CrashedRecovered', hwm]]);
      expect(booted.lifecycle.parentRunId).toBe('500-deadbeef');
      const store = await createProvider({ baseDir }).openSealed(INSTANCE, '500-deadbeef');
      expect((await store.latestSnapshotAnchor()) !== undefined).toBe(stage === 'after-anchor');
      await store.close();
      await booted.lifecycle.open(emptyRegisteredComponents(), { bus: booted.bus, environment: { clock: booted.clock } });
      expect(booted.lifecycle.manifest!.parentRunId).toBe('500-deadbeef');
      await booted.lifecycle.seal();
    });
  }

  test('a Running run whose tail is RunEnded recovers as Ended and is not a parent', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const store = await createProvider({ baseDir }).openRun(newManifest({ runId: '700-abcdef01', instanceId: INSTANCE, startTsInit: 700n }));
    await store.appendBatch([buildAppendEntry(runStartedDraft(emptyRegisteredComponents(), 700n), 1, 700n), buildAppendEntry(runEndedDraft(800n), 2, 800n)]);
    await store.close();
    const booted = await boot({ baseDir });
    expect(booted.lifecycle.recovered.map((run) => run.status)).toEqual(['Ended']);
    expect(booted.lifecycle.parentRunId).toBeUndefined();
    expect((await listRuns(baseDir))[0]!.status).toBe('Ended');
  });

  test('a run abandoned without close is recovered CrashedRecovered at the next boot and becomes the parent', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const first = await bootAndOpen({ baseDir });
    first.bus.publish('events.test.audit', { not: 'registered' });
    const crashedId = first.lifecycle.runId!;
    await first.lifecycle.writer!.abandon();
    const second = await boot({ baseDir });
    expect(second.lifecycle.recovered.map((run) => [run.runId, run.status])).toEqual([[crashedId, 'CrashedRecovered']]);
    expect(second.lifecycle.parentRunId).toBe(crashedId);
    await second.lifecycle.open(emptyRegisteredComponents(), { bus: second.bus, environment: { clock: second.clock } });
    expect(second.lifecycle.highWatermark).toBe(1);
    const newId = second.lifecycle.runId!;
    await second.lifecycle.writer!.abandon();
    const third = await boot({ baseDir });
    expect(third.lifecycle.recovered.map((run) => run.runId)).toEqual([newId]);
    const { manifest, entries } = await readRun(baseDir, newId);
    expect(manifest.parentRunId).toBe(crashedId);
    expect(manifest.chainHead).toMatch(/^[0-9a-f]{64}$/);
    expect(entries[0]!.topic).toBe('run.lifecycle.RunStarted');
  });

  test('three crashed runs: all CrashedRecovered, the newest is the parent', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    for (const start of [3000n, 1000n, 2000n]) await crashedRun(baseDir, `${start}-0000000${start / 1000n}`, start, 'after-commit-before-anchor');
    const booted = await boot({ baseDir });
    expect(booted.lifecycle.recovered.map((run) => run.status)).toEqual(['CrashedRecovered', 'CrashedRecovered', 'CrashedRecovered']);
    expect(booted.lifecycle.parentRunId?.startsWith('3000-')).toBe(true);
  });

  test('a halted run is left Running by seal, re-armed for the next run, and recovered at the next boot', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const booted = await bootAndOpen({ baseDir });
    const haltedId = booted.lifecycle.runId!;
    expect(booted.lifecycle.checkHalt()).toBeUndefined();
    await haltThroughWriter(booted);
    expect(booted.lifecycle.isHalted).toBe(true);
    expect(booted.lifecycle.checkHalt()?.code).toBe('HALTED');
    await booted.lifecycle.open(emptyRegisteredComponents(), { bus: booted.bus, environment: { clock: booted.clock } });
    expect(booted.lifecycle.isHalted).toBe(false);
    expect(booted.lifecycle.haltReason).toBeUndefined();
    const secondId = booted.lifecycle.runId!;
    await booted.lifecycle.seal();
    const runs = await listRuns(baseDir);
    expect(Object.fromEntries(runs.map((run) => [run.runId, run.status]))).toEqual({ [haltedId]: 'Running', [secondId]: 'Ended' });
    const next = await boot({ baseDir });
    expect(next.lifecycle.recovered.map((run) => [run.runId, run.status])).toEqual([[haltedId, 'CrashedRecovered']]);
  });

  test('boot on an empty or missing instance directory recovers nothing', async () => {
    const booted = await boot({ baseDir: temporaryDirectory('tapelog-lifecycle-') });
    expect(booted.lifecycle.recovered).toEqual([]);
    expect(booted.lifecycle.parentRunId).toBeUndefined();
  });

  test('a sealed run is not recovered again', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const first = await bootAndOpen({ baseDir }, {}, new SimulatedClock(10n));
    await durable(first, 1);
    await first.lifecycle.seal();
    const second = await boot({ baseDir });
    expect(second.lifecycle.recovered).toEqual([]);
  });
});

/**
 * Halts the open run as a dead writer does: the writer stops (its thread gone), and the next
 * captured message fails to submit, which the capture adapter turns into the run's halt.
 */
async function haltThroughWriter(booted: Awaited<ReturnType<typeof bootAndOpen>>): Promise<void> {
  await booted.lifecycle.writer!.abandon();
  booted.bus.publish('events.test.audit', new AuditMessage(1));
}
