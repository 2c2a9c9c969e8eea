/**
 * Damaged runs at boot, damaged for real on disk: a crashed run whose tables make LevelDB abort
 * the process, and a run directory a kill left without LevelDB's CURRENT file. Neither stops the
 * boot, and each is reported once.
 */

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProvider, damageEntryTableKeys, runPath } from '@tapelog/backend-level';
import { buildAppendEntry, emptyRegisteredComponents, newManifest, runEndedDraft } from '@tapelog/core';
import { temporaryDirectory } from '@tapelog/test-support';
import { expect, test } from 'vitest';
import { runStartedDraft } from '../src/index.js';
import { boot, durable, INSTANCE, listRuns } from './fixtures/boot.js';

/** A Running run with enough entries to fill several table blocks, left as a crashed process leaves it. */
async function crashedRun(baseDir: string, runId: string, startTsInit: bigint): Promise<void> {
  const store = await createProvider({ baseDir }).openRun(newManifest({ runId, instanceId: INSTANCE, startTsInit }));
  const drafts = [runStartedDraft(emptyRegisteredComponents(), startTsInit)];
  for (let index = 1; index < 60; index++)
    drafts.push({
      ...runEndedDraft(startTsInit + BigInt(index)),
      topic: 'events.test.audit',
      payloadType: 'AuditMessage',
      payload: new Uint8Array(300).fill(index),
    });
  for (let index = 0; index < drafts.length; index += 10) {
    await store.appendBatch(drafts.slice(index, index + 10).map((draft, offset) => buildAppendEntry(draft, index + offset + 1, draft.tsInit)));
  }
  await store.close();
}

test('a crashed run that makes LevelDB abort: boot completes, the run is Quarantined, the new run opens and writes', { timeout: 60_000 }, async () => {
  const baseDir = temporaryDirectory('tapelog-lifecycle-');
  await crashedRun(baseDir, '500-deadbeef', 500n);
  expect(await damageEntryTableKeys(runPath(baseDir, INSTANCE, '500-deadbeef'))).toBeGreaterThan(0);

  const booted = await boot({ baseDir });
  expect(booted.lifecycle.recovered.map((run) => [run.runId, run.status])).toEqual([['500-deadbeef', 'Quarantined']]);
  expect(booted.lifecycle.parentRunId).toBeUndefined();
  expect(booted.logs.filter((line) => line.includes('500-deadbeef') && line.startsWith('warn'))).toEqual([
    expect.stringMatching(/quarantining run 500-deadbeef .*killed by SIGABRT/),
  ]);
  await booted.lifecycle.open(emptyRegisteredComponents(), { bus: booted.bus, environment: { clock: booted.clock } });
  const newRunId = booted.lifecycle.runId!;
  await durable(booted, 1);
  await booted.lifecycle.seal();
  const runs = Object.fromEntries((await listRuns(baseDir)).map((run) => [run.runId, run.status]));
  expect(runs).toEqual({ '500-deadbeef': 'Quarantined', [newRunId]: 'Ended' });

  const again = await boot({ baseDir });
  expect(again.lifecycle.recovered).toEqual([]);
  expect(again.logs.filter((line) => line.includes('500-deadbeef'))).toEqual([]);
});

test('a run directory without CURRENT: the next boot quarantines it with one warning, the boot after says nothing about it', { timeout: 60_000 }, async () => {
  const baseDir = temporaryDirectory('tapelog-lifecycle-');
  const location = runPath(baseDir, INSTANCE, '400-halfmade');
  mkdirSync(location, { recursive: true });
  writeFileSync(join(location, 'LOCK'), '');
  writeFileSync(join(location, '000001.log'), '');

  const first = await boot({ baseDir });
  const mentions = first.logs.filter((line) => line.includes('400-halfmade'));
  expect(mentions).toHaveLength(1);
  expect(mentions[0]).toMatch(/^warn: .*was never fully created/);
  expect(mentions[0]).not.toMatch(/\n\s+at /);
  expect(existsSync(location)).toBe(false);
  expect(existsSync(`${location}.incomplete`)).toBe(true);

  const second = await boot({ baseDir });
  expect(second.logs.filter((line) => line.includes('400-halfmade'))).toEqual([]);
  expect(second.lifecycle.recovered).toEqual([]);
});
