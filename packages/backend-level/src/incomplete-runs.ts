/**
 * Runs that were never fully created: a process killed while creating a run can leave its
 * directory without LevelDB's `CURRENT` file. Such a directory can never be opened, so listings
 * set it aside once (renamed, kept on disk for an operator) instead of failing on it forever.
 */
import { readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_COPY_FILE } from './paths.js';

/** What an incomplete run directory is renamed to: `<runId>.level` + this. */
export const INCOMPLETE_RUN_SUFFIX = '.incomplete';

/**
 * True when `location` holds no `CURRENT`, no manifest copy, no table file and only empty logs:
 * nothing was ever committed there. A directory that lost its `CURRENT` but holds data is
 * damage, not an unfinished creation, and is left to the usual error path.
 */
export async function isIncompleteRun(location: string): Promise<boolean> {
  let names: string[];
  try {
    names = await readdir(location);
  } catch {
    return false;
  }
  if (names.includes('CURRENT') || names.includes(MANIFEST_COPY_FILE)) return false;
  for (const name of names) {
    if (name.endsWith('.ldb') || name.endsWith('.sst')) return false;
    if (name.endsWith('.log') && (await stat(join(location, name))).size > 0) return false;
  }
  return true;
}

/** Renames the run directory aside; returns the new path. */
export async function setIncompleteRunAside(location: string): Promise<string> {
  const target = `${location}${INCOMPLETE_RUN_SUFFIX}`;
  await rename(location, target);
  return target;
}

/** The run ids of the incomplete runs set aside in an instance directory, sorted. */
export async function listIncompleteRuns(instanceDirectory: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(instanceDirectory);
  } catch {
    return [];
  }
  const suffix = `.level${INCOMPLETE_RUN_SUFFIX}`;
  return names.filter((name) => name.endsWith(suffix) && name.length > suffix.length).map((name) => name.slice(0, -suffix.length)).sort();
}
