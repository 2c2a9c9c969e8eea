/** The README's example, compiled and run: a sweep at boot, a verify, a restore and a retention plan. */
import { createProvider } from '@tapelog/backend-memory';
import { computeSnapshotContentHash, type EventStoreEntry } from '@tapelog/core';
import { formatFinding, planProviderRetention, type RestoreTarget, recoverPredecessors, restoreFromSealedRun, Verifier } from '@tapelog/recovery';
import { testReadmeShowsExample } from '@tapelog/test-support';
import { expect, test } from 'vitest';
import { buildRun, drafts, INSTANCE } from './helpers.js';

test('README example', async () => {
  const provider = createProvider();
  const blob = new Uint8Array([1, 2, 3]);
  await buildRun(provider, {
    runId: '1000-a',
    startTsInit: 1000n,
    drafts: drafts(3, 1001n),
    anchor: { highWatermark: 1, blobRef: 'snap-1', contentHash: computeSnapshotContentHash(blob) },
  });

  const instanceId = INSTANCE;
  const blobs = new Map([['snap-1', blob]]);
  const applied: number[] = [];

  // --- README example starts ---
  // 1. At boot: seal whatever a crashed process left Running; continue from the parent.
  const { recovered, parentRunId } = await recoverPredecessors(provider, instanceId);
  const log: string[] = [];
  for (const run of recovered) log.push(`recovered ${run.runId} as ${run.status} (hwm ${run.highWatermark})`);

  // 2. Before trusting a run: verify it.
  const verifier = await Verifier.openSealed(provider, instanceId, parentRunId!);
  const report = await verifier.verify();
  await verifier.close();
  for (const finding of report.findings) log.push(`- ${formatFinding(finding)}`);

  // 3. Restore state: the anchored snapshot, then the tail after it.
  const target: RestoreTarget = {
    loadSnapshot: (anchor) => blobs.get(anchor.blobRef),
    applySnapshot: () => {},
    applyEntry: (entry: EventStoreEntry) => {
      applied.push(entry.seq);
      return true;
    },
  };
  const restore = await restoreFromSealedRun(provider, instanceId, parentRunId!, target);

  // 4. Plan retention (nothing is deleted).
  const plan = await planProviderRetention(provider, instanceId, { kind: 'Bounded', keepLast: 5 });
  // --- README example ends ---

  expect(recovered).toMatchObject([{ runId: '1000-a', status: 'CrashedRecovered' }]);
  expect(report.findings).toEqual([]);
  expect(restore).toMatchObject({ fromSeq: 2, toSeq: 3, applied: 2, ignored: 0 });
  expect(applied).toEqual([2, 3]);
  expect(plan.reclaimCandidates).toEqual([]);
});

testReadmeShowsExample(import.meta.url);
