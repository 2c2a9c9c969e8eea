import { createProvider } from '@tapelog/backend-memory';
import { newManifest, type RunStatus } from '@tapelog/core';
import {
  isKnownGoodRestorePoint,
  listSealedRuns,
  planProviderRetention,
  planRetention,
  type RetentionRun,
  type SnapshotAnchorStatus,
  snapshotAnchorStatus,
} from '@tapelog/recovery';
import { describe, expect, test } from 'vitest';
import { buildRun, drafts, INSTANCE, withOverrides } from './helpers.js';

const VALID: SnapshotAnchorStatus = { kind: 'Valid', anchor: { highWatermark: 1, blobRef: 'b', contentHash: 'blake3:00' } };
const MISSING: SnapshotAnchorStatus = { kind: 'Missing' };

function run(runId: string, startTsInit: bigint, status: RunStatus, snapshotAnchor: SnapshotAnchorStatus = MISSING): RetentionRun {
  return { manifest: newManifest({ runId, instanceId: INSTANCE, startTsInit, status }), location: `memory://${INSTANCE}/${runId}`, snapshotAnchor };
}

const ids = (runs: readonly RetentionRun[]) => runs.map((entry) => entry.manifest.runId);

describe('planRetention', () => {
  test('Full mode reclaims nothing', () => {
    const plan = planRetention([run('a', 1n, 'Ended', VALID), run('b', 2n, 'Ended', VALID)], { kind: 'Full' });
    expect(ids(plan.sealedRuns)).toEqual(['a', 'b']);
    expect(plan.reclaimCandidates).toEqual([]);
  });

  test('runs are sorted by startTsInit before candidates are selected', () => {
    const plan = planRetention([run('middle', 2n, 'Ended', VALID), run('newest', 3n, 'Ended', VALID), run('oldest', 1n, 'Ended', VALID)], {
      kind: 'Bounded',
      keepLast: 1,
    });
    expect(ids(plan.sealedRuns)).toEqual(['oldest', 'middle', 'newest']);
    expect(ids(plan.reclaimCandidates)).toEqual(['oldest', 'middle']);
  });

  test('Running runs are dropped before selecting: never listed, never candidates', () => {
    const plan = planRetention([run('old-good', 1n, 'Ended', VALID), run('live', 2n, 'Running', VALID), run('new-good', 3n, 'Ended', VALID)], {
      kind: 'Bounded',
      keepLast: 1,
    });
    expect(ids(plan.sealedRuns)).toEqual(['old-good', 'new-good']);
    expect(ids(plan.reclaimCandidates)).toEqual(['old-good']);
  });

  test('Bounded keeps the known-good restore point when the latest run is quarantined', () => {
    const plan = planRetention(
      [run('old-good', 1n, 'Ended', VALID), run('restore-point', 2n, 'CrashedRecovered', VALID), run('bad', 3n, 'Quarantined', VALID)],
      { kind: 'Bounded', keepLast: 1 },
    );
    expect(ids(plan.reclaimCandidates)).toEqual(['old-good']);
  });

  test('Bounded reclaims nothing without a known-good restore point', () => {
    const plan = planRetention([run('no-anchor', 1n, 'Ended'), run('bad', 2n, 'Quarantined', VALID)], { kind: 'Bounded', keepLast: 0 });
    expect(plan.reclaimCandidates).toEqual([]);
  });

  test('Bounded keepLast 0 retains only the restore point; quarantined runs outside it are reclaimable', () => {
    const plan = planRetention([run('bad', 1n, 'Quarantined', VALID), run('good', 2n, 'Ended', VALID), run('plain', 3n, 'Ended')], {
      kind: 'Bounded',
      keepLast: 0,
    });
    expect(ids(plan.reclaimCandidates)).toEqual(['bad', 'plain']);
  });

  test('SnapshotAnchored reclaims only runs before the latest valid restore point', () => {
    const plan = planRetention([run('old-good', 1n, 'Ended', VALID), run('latest-anchor', 2n, 'Ended', VALID), run('newer-missing', 3n, 'Ended')], {
      kind: 'SnapshotAnchored',
    });
    expect(ids(plan.reclaimCandidates)).toEqual(['old-good']);
  });

  test.each<SnapshotAnchorStatus>([MISSING, { kind: 'Invalid', reason: 'decode snapshot anchor: bad' }])(
    'SnapshotAnchored with an unusable anchor (%o) reclaims nothing',
    (status) => {
      expect(planRetention([run('only', 1n, 'Ended', status)], { kind: 'SnapshotAnchored' }).reclaimCandidates).toEqual([]);
    },
  );

  test('ties in startTsInit keep input order', () => {
    const plan = planRetention([run('first', 1n, 'Ended', VALID), run('second', 1n, 'Ended', VALID)], { kind: 'Full' });
    expect(ids(plan.sealedRuns)).toEqual(['first', 'second']);
  });

  test('the input array is not modified', () => {
    const input = [run('b', 2n, 'Ended', VALID), run('a', 1n, 'Ended', VALID)];
    planRetention(input, { kind: 'SnapshotAnchored' });
    expect(ids(input)).toEqual(['b', 'a']);
  });

  test('a negative or fractional keepLast is a RangeError', () => {
    expect(() => planRetention([], { kind: 'Bounded', keepLast: -1 })).toThrow(RangeError);
    expect(() => planRetention([], { kind: 'Bounded', keepLast: 1.5 })).toThrow(RangeError);
  });

  test('a known-good restore point is sealed, not quarantined, with a valid anchor', () => {
    expect(isKnownGoodRestorePoint(run('a', 1n, 'Ended', VALID))).toBe(true);
    expect(isKnownGoodRestorePoint(run('a', 1n, 'CrashedRecovered', VALID))).toBe(true);
    expect(isKnownGoodRestorePoint(run('a', 1n, 'Quarantined', VALID))).toBe(false);
    expect(isKnownGoodRestorePoint(run('a', 1n, 'Running', VALID))).toBe(false);
    expect(isKnownGoodRestorePoint(run('a', 1n, 'Ended', MISSING))).toBe(false);
  });
});

describe('retention over a provider', () => {
  test('lists sealed runs only, never Running ones; Bounded 1 reclaims the older sealed run', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'run-1', startTsInit: 1n, drafts: drafts(1), anchor: { blobRef: 'b1', contentHash: 'blake3:01' }, seal: 'Ended' });
    await buildRun(provider, { runId: 'run-2', startTsInit: 2n, drafts: drafts(1), anchor: { blobRef: 'b2', contentHash: 'blake3:02' }, seal: 'Ended' });
    await buildRun(provider, { runId: 'run-3', startTsInit: 3n, drafts: drafts(1) });
    const runs = await listSealedRuns(provider, INSTANCE);
    expect(ids(runs)).toEqual(['run-1', 'run-2']);
    expect(runs[0]!.snapshotAnchor).toEqual({ kind: 'Valid', anchor: { highWatermark: 1, blobRef: 'b1', contentHash: 'blake3:01' } });
    expect(runs[0]!.location).toContain('run-1');
    expect(ids((await planProviderRetention(provider, INSTANCE, { kind: 'Bounded', keepLast: 1 })).reclaimCandidates)).toEqual(['run-1']);
  });

  test('an undecodable anchor is Invalid (decode snapshot anchor) and SnapshotAnchored reclaims nothing', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'garbled', drafts: drafts(1), anchor: { blobRef: 'b', contentHash: 'blake3:00' }, seal: 'Ended' });
    await provider.tamper!.overwriteAnchor(INSTANCE, 'garbled', new Uint8Array([1, 2, 3]));
    const [listed] = await listSealedRuns(provider, INSTANCE);
    expect(listed!.snapshotAnchor.kind).toBe('Invalid');
    expect((listed!.snapshotAnchor as { reason: string }).reason).toContain('decode snapshot anchor');
    expect((await planProviderRetention(provider, INSTANCE, { kind: 'SnapshotAnchored' })).reclaimCandidates).toEqual([]);
  });

  test('an anchor past the durable hwm is Invalid (exceeds durable high_watermark)', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'trimmed', drafts: drafts(2), anchor: { blobRef: 'b', contentHash: 'blake3:00' }, seal: 'Ended' });
    await provider.tamper!.deleteEntry(INSTANCE, 'trimmed', 2);
    const store = await provider.openSealed(INSTANCE, 'trimmed');
    const status = await snapshotAnchorStatus(store);
    await store.close();
    expect(status).toEqual({ kind: 'Invalid', reason: 'snapshot anchor high_watermark 2 exceeds durable high_watermark 1' });
  });

  test('a read error that is not corruption is thrown, not taken for an invalid anchor', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'r', drafts: drafts(1), seal: 'Ended' });
    const store = await provider.openSealed(INSTANCE, 'r');
    const failing = withOverrides(store, {
      latestSnapshotAnchor: async () => {
        throw new Error('EIO');
      },
    });
    // Not a TapelogError: it must come through as the very error thrown.
    await expect(snapshotAnchorStatus(failing)).rejects.toMatchObject({ message: 'EIO', name: 'Error' });
    await store.close();
  });
});
