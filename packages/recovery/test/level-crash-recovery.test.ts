import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createProvider } from '@tapelog/backend-level';
import { newManifest } from '@tapelog/core';
import { recoverPredecessors, Verifier } from '@tapelog/recovery';
import { temporaryDirectory } from '@tapelog/test-support';
import { beforeEach, describe, expect, test } from 'vitest';
import { buildRun, drafts, flippedPayloadBytes, INSTANCE } from './helpers.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/crash-at-stage.mjs', import.meta.url));

let baseDir: string;
beforeEach(() => {
  baseDir = temporaryDirectory('tapelog-recovery-');
});

/** Runs the fixture up to `stage`, then kills it with SIGKILL once it says it is there. */
async function crashAt(runId: string, startTsInit: bigint, stage: string, ending?: 'runEnded'): Promise<void> {
  const child = spawn(process.execPath, [FIXTURE, baseDir, INSTANCE, runId, String(startTsInit), stage, ...(ending ? [ending] : [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`crash fixture exited early with ${code}: ${stderr}`)));
  });
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
}

describe('crash-recovery matrix on the LevelDB backend', () => {
  test.each([
    ['before-enqueue', 0, false],
    ['after-enqueue-before-commit', 0, false],
    ['after-commit-before-anchor', 1, false],
    ['after-anchor', 1, true],
  ] as const)('a crash %s is sealed CrashedRecovered with hwm %i, becomes the parent, and a new run links to it', async (stage, highWatermark, anchored) => {
    await crashAt('1000-aaaaaaaa', 1000n, stage);
    const provider = createProvider({ baseDir });
    const outcome = await recoverPredecessors(provider, INSTANCE);
    expect(outcome.recovered).toMatchObject([{ runId: '1000-aaaaaaaa', status: 'CrashedRecovered', highWatermark }]);
    expect(outcome.parentRunId).toBe('1000-aaaaaaaa');

    const sealed = await provider.openSealed(INSTANCE, '1000-aaaaaaaa');
    try {
      expect(await sealed.manifest()).toMatchObject({ status: 'CrashedRecovered', highWatermark, chainHead: outcome.recovered[0]!.chainHead });
      const anchor = await sealed.latestSnapshotAnchor();
      if (anchored) expect(anchor).toMatchObject({ highWatermark: 1, blobRef: 'cache://snapshot/1' });
      else expect(anchor).toBeUndefined();
    } finally {
      await sealed.close();
    }
    const verifier = await Verifier.openSealed(provider, INSTANCE, '1000-aaaaaaaa');
    const report = await verifier.verify();
    await verifier.close();
    expect(report.findings).toEqual([]);

    const next = await provider.openRun(newManifest({ runId: '2000-bbbbbbbb', instanceId: INSTANCE, startTsInit: 2000n, parentRunId: outcome.parentRunId }));
    expect((await next.manifest()).parentRunId).toBe('1000-aaaaaaaa');
    await next.close();
  });

  test('three crashed runs: all CrashedRecovered and the newest is the parent', async () => {
    await crashAt('2000-bbbbbbbb', 2000n, 'after-commit-before-anchor');
    await crashAt('3000-cccccccc', 3000n, 'before-enqueue');
    await crashAt('1000-aaaaaaaa', 1000n, 'after-anchor');
    const outcome = await recoverPredecessors(createProvider({ baseDir }), INSTANCE);
    expect(outcome.recovered.map((run) => [run.runId, run.status])).toEqual([
      ['1000-aaaaaaaa', 'CrashedRecovered'],
      ['2000-bbbbbbbb', 'CrashedRecovered'],
      ['3000-cccccccc', 'CrashedRecovered'],
    ]);
    expect(outcome.parentRunId?.startsWith('3000-')).toBe(true);
    const listed = await createProvider({ baseDir }).listRuns(INSTANCE);
    expect(listed.map((manifest) => manifest.status)).toEqual(['CrashedRecovered', 'CrashedRecovered', 'CrashedRecovered']);
  });

  test('a process killed after RunEnded became durable, before sealing, is recovered Ended and is not the parent', async () => {
    await crashAt('1000-aaaaaaaa', 1000n, 'after-commit-before-anchor', 'runEnded');
    const outcome = await recoverPredecessors(createProvider({ baseDir }), INSTANCE);
    expect(outcome.recovered).toMatchObject([{ status: 'Ended', highWatermark: 2 }]);
    expect(outcome.parentRunId).toBeUndefined();
  });

  test('a flipped payload byte on disk quarantines a crashed run; the healthy one is still the parent', async () => {
    const provider = createProvider({ baseDir });
    const damaged = await buildRun(provider, { runId: '2000-bbbbbbbb', startTsInit: 2000n, drafts: drafts(3) });
    await buildRun(provider, { runId: '1000-aaaaaaaa', startTsInit: 1000n, drafts: drafts(2) });
    await provider.tamper!.overwriteEntry(INSTANCE, '2000-bbbbbbbb', 2, flippedPayloadBytes(damaged.entries[1]!.entry));
    const outcome = await recoverPredecessors(createProvider({ baseDir }), INSTANCE, { logger: () => {} });
    expect(outcome.recovered.map((run) => [run.runId, run.status])).toEqual([
      ['1000-aaaaaaaa', 'CrashedRecovered'],
      ['2000-bbbbbbbb', 'Quarantined'],
    ]);
    expect(outcome.parentRunId).toBe('1000-aaaaaaaa');
  });
});
