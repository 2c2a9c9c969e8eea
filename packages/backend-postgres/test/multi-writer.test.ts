/**
 * Many processes on one database: four writer processes (distinct instances) each write a run
 * concurrently and seal it, and every run verifies clean; a boot of an instance whose writer is
 * alive leaves its run alone, and recovers it with every acknowledged entry once the writer is
 * SIGKILLed; a paused writer whose session ended and whose run was recovered elsewhere is FENCED
 * on resume, halts, and leaves the recovered run unchanged.
 */
import { recoverPredecessors, Verifier } from '@tapelog/recovery';
import { afterEach, expect, test } from 'vitest';
import type { PostgresProvider } from '../src/index.js';
import { dropProvider, serverUrl, terminateWriterSession, testProvider } from './helpers.js';
import { WriterProcess } from './processes.js';

/** Entries per run: 100,000, the acceptance size; `TAPELOG_PG_MULTI_ENTRIES` makes a quicker local run. */
const ENTRIES = Number(process.env.TAPELOG_PG_MULTI_ENTRIES ?? 100_000);
const quiet = { logger: () => undefined };

let provider: PostgresProvider | undefined;
const processes: WriterProcess[] = [];

afterEach(async () => {
  for (const writer of processes.splice(0)) await writer.kill();
  if (provider !== undefined) await dropProvider(provider);
  provider = undefined;
});

function writer(instanceId: string, runId: string, count: number, mode: 'seal' | 'hold' | 'forever'): WriterProcess {
  const started = new WriterProcess(serverUrl(), provider!.tables.schema, instanceId, runId, count, mode);
  processes.push(started);
  return started;
}

test(`four writer processes write ${ENTRIES} entries each concurrently; every run seals and verifies clean`, async () => {
  provider = testProvider();
  await provider.listRuns('warm-up'); // creates the schema once, before the writers race for it
  const writers = [0, 1, 2, 3].map((i) => writer(`desk-${i}`, `run-${i}`, ENTRIES, 'seal'));
  const codes = await Promise.all(writers.map((w) => w.exited));
  expect(codes, writers.map((w) => w.lines.slice(-3).join(' | ')).join('\n')).toEqual([0, 0, 0, 0]);
  for (let i = 0; i < 4; i++) {
    expect(writers[i]!.lines).toContain(`sealed ${ENTRIES + 1}`);
    const [run] = await provider.listRuns(`desk-${i}`);
    expect([run!.status, run!.highWatermark]).toEqual(['Ended', ENTRIES + 1]);
    const verifier = await Verifier.openSealed(provider, `desk-${i}`, `run-${i}`);
    try {
      const report = await verifier.verify();
      expect(report.findings).toEqual([]);
      expect(report.entriesScanned).toBe(ENTRIES + 1);
    } finally {
      await verifier.close();
    }
  }
}, 600_000);

test('a boot does not recover the run of a live writer; after SIGKILL it recovers it with every acknowledged entry', async () => {
  provider = testProvider();
  const live = writer('desk-live', 'run-live', 5_000, 'hold');
  await live.waitFor((line) => line === 'holding', 'holding its run');
  const acked = live.acked;
  const whileAlive = await recoverPredecessors(provider, 'desk-live', quiet);
  expect(whileAlive.recovered).toEqual([]);
  expect(whileAlive.skipped.map((run) => [run.runId, run.reason])).toEqual([['run-live', 'open-failed']]);
  expect(String((whileAlive.skipped[0]!.error as Error).message)).toMatch(/held by a live writer/);

  live.child.kill('SIGKILL');
  await live.exited;
  const afterKill = await recoverPredecessors(provider, 'desk-live', quiet);
  expect(afterKill.recovered.map((run) => run.status)).toEqual(['CrashedRecovered']);
  expect(afterKill.recovered[0]!.highWatermark).toBeGreaterThanOrEqual(acked);
  const reader = await provider.openSealed('desk-live', 'run-live');
  try {
    const entries = await reader.scanRange(1, acked);
    expect(entries.map((entry) => entry.seq)).toEqual(Array.from({ length: acked }, (_, i) => i + 1));
  } finally {
    await reader.close();
  }
}, 300_000);

test('a paused writer whose session ended and whose run was recovered elsewhere is FENCED on resume, halts, and changes nothing', async () => {
  provider = testProvider();
  const zombie = writer('desk-zombie', 'run-zombie', 0, 'forever');
  await zombie.waitFor((line) => line.startsWith('acked '), 'its first acknowledgement');
  zombie.child.kill('SIGSTOP');
  expect(await terminateWriterSession(provider.tables.schema, 'run-zombie')).toBe(1);
  const outcome = await recoverPredecessors(provider, 'desk-zombie', quiet);
  expect(outcome.recovered.map((run) => run.status)).toEqual(['CrashedRecovered']);
  const recoveredHwm = outcome.recovered[0]!.highWatermark;
  expect(recoveredHwm).toBeGreaterThanOrEqual(zombie.acked);

  zombie.child.kill('SIGCONT');
  const halt = await zombie.waitFor((line) => line.startsWith('halt ') || line.startsWith('error '), 'halting');
  expect(halt.startsWith('halt ')).toBe(true);
  expect(JSON.parse(halt.slice(5))).toMatchObject({ kind: 'BackendError', code: 'FENCED' });
  expect(await zombie.exited).toBe(3);

  const [run] = await provider.listRuns('desk-zombie');
  expect([run!.status, run!.highWatermark]).toEqual(['CrashedRecovered', recoveredHwm]);
  const reader = await provider.openSealed('desk-zombie', 'run-zombie');
  try {
    expect(await reader.scanSeq(recoveredHwm + 1)).toBeUndefined();
    expect(await reader.highWatermark()).toBe(recoveredHwm);
  } finally {
    await reader.close();
  }
}, 300_000);
