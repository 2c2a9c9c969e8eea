/**
 * A crashed run whose tables make LevelDB abort the process (damaged for real on disk) is read
 * by the sweep in a child process: the child dies, the run is quarantined, the sweep goes on.
 */
import { createProvider, damageEntryTableKeys, runPath } from '@tapelog/backend-level';
import { probeRestoreSourceIsolated, type ReaderIsolation, recoverPredecessors } from '@tapelog/recovery';
import { temporaryDirectory } from '@tapelog/test-support';
import { expect, test } from 'vitest';
import { buildRun, draft, INSTANCE } from './helpers.js';

const drafts = () => Array.from({ length: 40 }, (_, index) => draft(101n + BigInt(index), { payload: new Uint8Array(200).fill(index) }));

function isolationFor(baseDir: string): ReaderIsolation {
  return { backend: { module: import.meta.resolve('@tapelog/backend-level'), options: { baseDir } } };
}

test('an aborting crashed run kills only the child reader: quarantined with one line, a healthy crashed run beside it recovers, the next sweep is silent', {
  timeout: 60_000,
}, async () => {
  const baseDir = temporaryDirectory('tapelog-isolated-');
  const provider = createProvider({ baseDir }, { warn: () => {} });
  await buildRun(provider, { runId: '1000-aborting', startTsInit: 100n, drafts: drafts() });
  await buildRun(provider, { runId: '2000-healthy0', startTsInit: 2000n, drafts: [draft(2001n)] });
  expect(await damageEntryTableKeys(runPath(baseDir, INSTANCE, '1000-aborting'))).toBeGreaterThan(0);

  const logged: string[] = [];
  const outcome = await recoverPredecessors(provider, INSTANCE, { logger: (line) => logged.push(line), isolation: isolationFor(baseDir) });
  expect(outcome.recovered.map((run) => [run.runId, run.status])).toEqual([
    ['1000-aborting', 'Quarantined'],
    ['2000-healthy0', 'CrashedRecovered'],
  ]);
  expect(outcome.parentRunId).toBe('2000-healthy0');
  expect(logged).toHaveLength(1);
  expect(logged[0]).toMatch(/quarantining run 1000-aborting of instance trader-001: .*reader process down \(killed by SIGABRT/);
  expect((await provider.listRuns(INSTANCE)).map((run) => [run.runId, run.status])).toEqual([
    ['1000-aborting', 'Quarantined'],
    ['2000-healthy0', 'CrashedRecovered'],
  ]);

  const again = await recoverPredecessors(provider, INSTANCE, { logger: (line) => logged.push(line), isolation: isolationFor(baseDir) });
  expect(again.recovered).toEqual([]);
  expect(logged).toHaveLength(1);
});

test('a restore probe of a sealed run whose reads abort rejects with CORRUPTED naming the run; a clean one resolves', { timeout: 60_000 }, async () => {
  const baseDir = temporaryDirectory('tapelog-isolated-');
  const provider = createProvider({ baseDir }, { warn: () => {} });
  await buildRun(provider, { runId: '1000-sealedok', drafts: drafts(), seal: 'CrashedRecovered' });
  await expect(probeRestoreSourceIsolated(isolationFor(baseDir), INSTANCE, '1000-sealedok')).resolves.toBeUndefined();
  await damageEntryTableKeys(runPath(baseDir, INSTANCE, '1000-sealedok'));
  await expect(probeRestoreSourceIsolated(isolationFor(baseDir), INSTANCE, '1000-sealedok')).rejects.toMatchObject({
    code: 'CORRUPTED',
    message: expect.stringContaining('1000-sealedok of instance trader-001'),
  });
});
