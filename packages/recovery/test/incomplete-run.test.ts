/** A run directory left without LevelDB's CURRENT file by a kill during creation is set aside once, quietly. */
import { recoverPredecessors } from '@tapelog/recovery';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { INCOMPLETE_RUN_SUFFIX, createProvider, runPath } from '@tapelog/backend-level';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

test('the first sweep sets an incomplete run aside with one warning line naming it; the next says nothing', async () => {
  const baseDir = mkdtempSync(join(tmpdir(), 'tapelog-incomplete-'));
  directories.push(baseDir);
  const location = runPath(baseDir, 'trader-001', '1000-halfmade');
  // What LevelDB leaves when killed before it wrote CURRENT: the lock and an empty log.
  mkdirSync(location, { recursive: true });
  writeFileSync(join(location, 'LOCK'), '');
  writeFileSync(join(location, '000001.log'), '');
  const warnings: Array<{ message: string; error: unknown }> = [];
  const provider = createProvider({ baseDir }, { warn: (message, error) => warnings.push({ message, error }) });
  const logged: string[] = [];

  const first = await recoverPredecessors(provider, 'trader-001', { logger: (message) => logged.push(message) });
  expect(first.recovered).toEqual([]);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]!.message).toContain(`run ${location} was never fully created`);
  expect(warnings[0]!.error).toBeUndefined();
  expect(existsSync(location)).toBe(false);
  expect(existsSync(`${location}${INCOMPLETE_RUN_SUFFIX}`)).toBe(true);
  expect(await provider.listIncompleteRuns('trader-001')).toEqual(['1000-halfmade']);

  await recoverPredecessors(provider, 'trader-001', { logger: (message) => logged.push(message) });
  expect(warnings).toHaveLength(1);
  expect(logged).toEqual([]);
});

test('a run directory that lost CURRENT but holds tables is damage, not an unfinished creation: it stays where it is', async () => {
  const baseDir = mkdtempSync(join(tmpdir(), 'tapelog-incomplete-'));
  directories.push(baseDir);
  const location = runPath(baseDir, 'trader-001', '1000-damaged0');
  mkdirSync(location, { recursive: true });
  writeFileSync(join(location, '000005.ldb'), 'table bytes');
  const warnings: string[] = [];
  const provider = createProvider({ baseDir }, { warn: (message) => warnings.push(message) });
  expect(await provider.listRuns('trader-001')).toEqual([]);
  expect(warnings).toEqual([expect.stringContaining(`listRuns skipped run ${location}`)]);
  expect(existsSync(location)).toBe(true);
});
