/** A run directory left without LevelDB's CURRENT file by a kill during creation is set aside once, quietly, by the sweep only. */

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProvider, INCOMPLETE_RUN_SUFFIX, runPath } from '@tapelog/backend-level';
import { recoverPredecessors } from '@tapelog/recovery';
import { temporaryDirectory } from '@tapelog/test-support';
import { expect, test } from 'vitest';

/** What LevelDB leaves when killed before it wrote CURRENT: the lock and an empty log. */
function halfMadeRun(baseDir: string, runId: string): string {
  const location = runPath(baseDir, 'trader-001', runId);
  mkdirSync(location, { recursive: true });
  writeFileSync(join(location, 'LOCK'), '');
  writeFileSync(join(location, '000001.log'), '');
  return location;
}

test('a listing reports an incomplete run but leaves it on disk as it is, with no warning', async () => {
  const baseDir = temporaryDirectory('tapelog-incomplete-');
  const location = halfMadeRun(baseDir, '1000-halfmade');
  const warnings: string[] = [];
  const provider = createProvider({ baseDir }, { warn: (message) => warnings.push(message) });
  expect(await provider.listRuns('trader-001')).toEqual([]);
  expect(await provider.listIncompleteRuns('trader-001')).toEqual([{ runId: '1000-halfmade', location }]);
  expect(existsSync(location)).toBe(true);
  expect(warnings).toEqual([]);
});

test('the first sweep sets an incomplete run aside with one warning line naming it; the next says nothing', async () => {
  const baseDir = temporaryDirectory('tapelog-incomplete-');
  const location = halfMadeRun(baseDir, '1000-halfmade');
  const warnings: string[] = [];
  const provider = createProvider({ baseDir }, { warn: (message) => warnings.push(message) });
  const logged: string[] = [];

  const first = await recoverPredecessors(provider, 'trader-001', { logger: (message) => logged.push(message) });
  expect(first.recovered).toEqual([]);
  expect(logged).toHaveLength(1);
  expect(logged[0]).toContain('run 1000-halfmade of instance trader-001 was never fully created');
  expect(logged[0]).toContain(`${location}${INCOMPLETE_RUN_SUFFIX}`);
  expect(logged[0]).not.toMatch(/\n\s+at /);
  expect(existsSync(location)).toBe(false);
  expect(existsSync(`${location}${INCOMPLETE_RUN_SUFFIX}`)).toBe(true);
  expect(await provider.listIncompleteRuns('trader-001')).toEqual([{ runId: '1000-halfmade', location: `${location}${INCOMPLETE_RUN_SUFFIX}` }]);

  await recoverPredecessors(provider, 'trader-001', { logger: (message) => logged.push(message) });
  expect(logged).toHaveLength(1);
  expect(warnings).toEqual([]);
});

test('a run directory that lost CURRENT but holds tables is damage, not an unfinished creation: it stays where it is', async () => {
  const baseDir = temporaryDirectory('tapelog-incomplete-');
  const location = runPath(baseDir, 'trader-001', '1000-damaged0');
  mkdirSync(location, { recursive: true });
  writeFileSync(join(location, '000005.ldb'), 'table bytes');
  const warnings: string[] = [];
  const provider = createProvider({ baseDir }, { warn: (message) => warnings.push(message) });
  await recoverPredecessors(provider, 'trader-001', { logger: () => {} });
  expect(warnings).toEqual([expect.stringContaining(`listRuns skipped run ${location}`)]);
  expect(existsSync(location)).toBe(true);
  expect(await provider.listIncompleteRuns('trader-001')).toEqual([]);
});
