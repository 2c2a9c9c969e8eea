/** The README's example, compiled and run: a sweep at boot, a verify, a restore and a retention plan. */
import { createProvider } from '@tapelog/backend-memory';
import { computeSnapshotContentHash } from '@tapelog/core';
import { testReadmeShowsExample } from '@tapelog/test-support';
import { expect, test } from 'vitest';
import { atBoot } from './fixtures/readme-example.js';
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

  const { recovered, report, restore, applied, plan } = await atBoot(provider, INSTANCE, new Map([['snap-1', blob]]));

  expect(recovered).toMatchObject([{ runId: '1000-a', status: 'CrashedRecovered' }]);
  expect(report.findings).toEqual([]);
  expect(restore).toMatchObject({ fromSeq: 2, toSeq: 3, applied: 2, ignored: 0 });
  expect(applied).toEqual([2, 3]);
  expect(plan.reclaimCandidates).toEqual([]);
});

testReadmeShowsExample(import.meta.url, './fixtures/readme-example.ts');
