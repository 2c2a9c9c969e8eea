/**
 * A crashed run whose write-ahead log was damaged on disk: LevelDB drops the damaged record when
 * it reopens the run and says so only in its info log. The sweep must not seal the shorter tail
 * as a clean CrashedRecovered run, in-process or isolated, nor after a first attempt was killed.
 */

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProvider, runPath } from '@tapelog/backend-level';
import { buildAppendEntry, newManifest } from '@tapelog/core';
import { recoverPredecessors } from '@tapelog/recovery';
import { temporaryDirectory } from '@tapelog/test-support';
import { expect, test } from 'vitest';
import { draft, INSTANCE } from './helpers.js';

/** A crashed run of five acknowledged batches of ten, whose last log record has one byte flipped. */
async function runWithDamagedLog(runId: string) {
  const baseDir = temporaryDirectory('tapelog-dropped-');
  const provider = createProvider({ baseDir }, { warn: () => {} });
  const store = await provider.openRun(newManifest({ runId, instanceId: INSTANCE, startTsInit: 100n }));
  for (let batch = 0; batch < 5; batch++) {
    await store.appendBatch(
      Array.from({ length: 10 }, (_, index) => buildAppendEntry(draft(200n + BigInt(batch * 10 + index)), batch * 10 + index + 1, 1000n)),
    );
  }
  await store.close();
  const location = runPath(baseDir, INSTANCE, runId);
  const log = join(location, readdirSync(location).find((name) => name.endsWith('.log'))!);
  const bytes = readFileSync(log);
  bytes[bytes.length - 40] = bytes[bytes.length - 40]! ^ 0x55;
  writeFileSync(log, bytes);
  return { baseDir, provider, location };
}

test('a dropped log record quarantines the run instead of sealing its shorter tail clean', { timeout: 60_000 }, async () => {
  const { provider } = await runWithDamagedLog('1000-droplog0');
  const logged: string[] = [];
  const outcome = await recoverPredecessors(provider, INSTANCE, { logger: (line) => logged.push(line) });
  expect(outcome.recovered.map((run) => [run.runId, run.status, run.chainHead])).toEqual([['1000-droplog0', 'Quarantined', undefined]]);
  expect(outcome.parentRunId).toBeUndefined();
  expect(logged).toEqual([expect.stringMatching(/quarantining run 1000-droplog0 .*dropped acknowledged rows.*dropping \d+ bytes/)]);
});

test('the same in a child reader', { timeout: 60_000 }, async () => {
  const { provider, baseDir } = await runWithDamagedLog('1000-droplog1');
  const outcome = await recoverPredecessors(provider, INSTANCE, {
    logger: () => {},
    isolation: { backend: { module: import.meta.resolve('@tapelog/backend-level'), options: { baseDir } } },
  });
  expect(outcome.recovered.map((run) => run.status)).toEqual(['Quarantined']);
});

test('the evidence outlives the open that saw it: a sweep after a killed first attempt still quarantines', { timeout: 60_000 }, async () => {
  const { provider } = await runWithDamagedLog('1000-droplog2');
  // The first attempt opens the run (LevelDB replays and drops the record) and dies before sealing.
  await (await provider.openForRecovery(INSTANCE, '1000-droplog2')).close();
  expect(await provider.recoveryDamage(INSTANCE, '1000-droplog2')).toMatch(/dropping \d+ bytes/);
  const outcome = await recoverPredecessors(provider, INSTANCE, { logger: () => {} });
  expect(outcome.recovered.map((run) => run.status)).toEqual(['Quarantined']);
});

test('an undamaged crashed run has nothing on record and recovers clean', { timeout: 60_000 }, async () => {
  const baseDir = temporaryDirectory('tapelog-dropped-');
  const provider = createProvider({ baseDir }, { warn: () => {} });
  const store = await provider.openRun(newManifest({ runId: '1000-cleanlog', instanceId: INSTANCE, startTsInit: 100n }));
  await store.appendBatch([buildAppendEntry(draft(200n), 1, 1000n)]);
  await store.close();
  const outcome = await recoverPredecessors(provider, INSTANCE, { logger: () => {} });
  expect(outcome.recovered.map((run) => run.status)).toEqual(['CrashedRecovered']);
  expect(await provider.recoveryDamage(INSTANCE, '1000-cleanlog')).toBeUndefined();
});
