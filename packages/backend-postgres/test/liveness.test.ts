/**
 * Liveness and fencing across providers (each provider stands for a process on another host):
 * a run held by a live writer is never recovered; a writer whose session ended and whose run was
 * recovered elsewhere is FENCED and changes nothing; one whose session ended is told so at once.
 */
import { fixtures } from '@tapelog/conformance';
import { TapelogError } from '@tapelog/core';
import { afterEach, expect, test } from 'vitest';
import { createProvider, type PostgresProvider } from '../src/index.js';
import { adminQuery, dropProvider, terminateWriterSession, testProvider } from './helpers.js';

const { INSTANCE, appendRange, entry, manifest } = fixtures;
const opened: PostgresProvider[] = [];

/** Two providers over one schema: two processes, possibly on two machines. */
function twoProcesses(): [PostgresProvider, PostgresProvider] {
  const first = testProvider();
  const second = createProvider({ ...first.options }, { warn: () => undefined });
  opened.push(second, first);
  return [first, second];
}

afterEach(async () => {
  const [second, first] = opened.splice(0);
  await second?.close();
  if (first !== undefined) await dropProvider(first);
});

async function codeOf(promise: Promise<unknown>): Promise<TapelogError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(TapelogError.isInstance(error), `expected a TapelogError, got ${String(error)}`).toBe(true);
  return error as TapelogError;
}

test('a run whose writer is alive is not recovered by another process, and is once the writer has gone', async () => {
  const [writerHost, otherHost] = twoProcesses();
  const store = await writerHost.openRun(manifest('run-1'));
  await appendRange(store, 3);
  const refused = await codeOf(otherHost.openForRecovery(INSTANCE, 'run-1'));
  expect(refused.code).toBe('RUN_ALREADY_OPEN');
  expect(refused.message).toMatch(/held by a live writer/);
  expect(await store.appendBatch([entry(4)])).toBe(4);
  await store.close();
  const recovered = await otherHost.openForRecovery(INSTANCE, 'run-1');
  expect(await recovered.highWatermark()).toBe(4);
  await recovered.close();
});

test('a writer whose session ended and whose run was recovered elsewhere is FENCED and changes nothing', async () => {
  const [writerHost, otherHost] = twoProcesses();
  const zombie = await writerHost.openRun(manifest('run-1'));
  await appendRange(zombie, 2);
  expect(await terminateWriterSession(writerHost.tables.schema, 'run-1')).toBe(1);
  const recovered = await otherHost.openForRecovery(INSTANCE, 'run-1');
  expect(recovered.epoch).toBe(zombie.epoch + 1);
  await recovered.seal('CrashedRecovered');
  await recovered.close();
  const fenced = await codeOf(zombie.appendBatch([entry(3)]));
  expect(fenced.code).toBe('FENCED');
  expect(fenced.message).toContain('run-1');
  // Fencing is final: every later write repeats it.
  expect((await codeOf(zombie.seal('Ended'))).code).toBe('FENCED');
  const reader = await otherHost.openSealed(INSTANCE, 'run-1');
  expect(await reader.highWatermark()).toBe(2);
  expect((await reader.manifest()).status).toBe('CrashedRecovered');
  expect(await reader.scanSeq(3)).toBeUndefined();
  await reader.close();
  await zombie.close();
});

test('an epoch bump fences a writer even while its own session is still alive', async () => {
  const [writerHost] = twoProcesses();
  const store = await writerHost.openRun(manifest('run-1'));
  await appendRange(store, 1);
  await adminQuery(`UPDATE "${writerHost.tables.schema}".runs SET epoch = epoch + 1 WHERE run_id = 'run-1'`);
  expect((await codeOf(store.appendBatch([entry(2)]))).code).toBe('FENCED');
  expect((await codeOf(store.recordSnapshotAnchor({ highWatermark: 1, blobRef: 'b', contentHash: 'c' }))).code).toBe('FENCED');
  const { rows } = await adminQuery(`SELECT head_seq FROM "${writerHost.tables.schema}".runs WHERE run_id = 'run-1'`);
  expect(Number(rows[0].head_seq)).toBe(1);
  await store.close();
});

test('a writer whose session ended (not recovered) fails its next append at once with BACKEND naming the lost lock', async () => {
  const [writerHost] = twoProcesses();
  const store = await writerHost.openRun(manifest('run-1'));
  await appendRange(store, 2);
  await terminateWriterSession(writerHost.tables.schema, 'run-1');
  const started = Date.now();
  const lost = await codeOf(store.appendBatch([entry(3)]));
  expect(lost.code).toBe('BACKEND');
  expect(lost.message).toMatch(/liveness lock is gone/);
  expect(lost.message).toContain('run-1');
  expect(Date.now() - started).toBeLessThan(30_000);
  expect((await codeOf(store.appendBatch([entry(3)]))).code).toBe('BACKEND');
  await store.close();
  const listed = await writerHost.listRuns(INSTANCE);
  expect(listed.map((run) => [run.status, run.highWatermark])).toEqual([['Running', 2]]);
});
