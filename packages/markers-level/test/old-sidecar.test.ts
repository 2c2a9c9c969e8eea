/**
 * A sidecar written by `@tapelog/markers` 0.1.0, before the LevelDB store moved to this package
 * (test/fixtures/sidecar-0.1.0: one dictionary entry and one snapshot, high fidelity on, sealed
 * Ended), still opens and verifies clean: the on-disk format did not change with the move.
 */
import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { temporaryDirectory } from '@tapelog/test-support';
import { expect, test } from 'vitest';
import { LevelMarkerBackend, markersPath, verifyMarkerStore } from '../src/index.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/sidecar-0.1.0', import.meta.url));
const RUN_ID = '1700-0ldf0rma';

test('a sidecar written before the move reads and verifies clean', async () => {
  // A copy: opening a LevelDB store touches its log files.
  const baseDir = temporaryDirectory('tapelog-old-sidecar-');
  cpSync(FIXTURE, baseDir, { recursive: true });
  const path = markersPath(baseDir, 'trader-1', RUN_ID);
  const verification = await verifyMarkerStore(path, { entryHighWatermark: 2, expectedRunId: RUN_ID });
  expect(verification).toMatchObject({ verdict: 'clean', exitCode: 0, report: { runId: RUN_ID, status: 'Ended', snapshotsScanned: 1, dictEntriesScanned: 1 } });
  const store = await LevelMarkerBackend.openReadOnly(path);
  try {
    expect(await store.manifest()).toMatchObject({ runId: RUN_ID, enabledClasses: ['Quote'], highFidelity: true, snapshotCount: 1, dictCount: 1 });
    expect((await store.scanDict()).map((row) => row.record.identifier)).toEqual(['ETHUSDT.BINANCE']);
  } finally {
    await store.close();
  }
});
