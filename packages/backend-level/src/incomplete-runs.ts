/**
 * Runs that were never fully created: a process killed while creating a run can leave its
 * directory without LevelDB's `CURRENT` file. Such a directory can never be opened, so the
 * recovery sweep sets it aside once (renamed, kept on disk for an operator); listings only skip
 * it and report it, they never change what is on disk.
 */
import { readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_COPY_FILE, runIdOfDirectoryName } from './paths.js';

/** What an incomplete run directory is renamed to: `<runId>.level` + this. */
export const INCOMPLETE_RUN_SUFFIX = '.incomplete';

/** One run never fully created: its id and the directory it is in now. */
export interface IncompleteRun {
  runId: string;
  location: string;
}

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

async function directoryNames(directory: string): Promise<string[]> {
  try {
    return (await readdir(directory, { withFileTypes: true })).filter((dirent) => dirent.isDirectory()).map((dirent) => dirent.name);
  } catch {
    return [];
  }
}

/** Incomplete run directories still under their run name, not yet set aside. */
async function pendingIncompleteRuns(instanceDirectory: string): Promise<IncompleteRun[]> {
  const pending: IncompleteRun[] = [];
  for (const name of await directoryNames(instanceDirectory)) {
    const runId = runIdOfDirectoryName(name);
    const location = join(instanceDirectory, name);
    if (runId !== undefined && (await isIncompleteRun(location))) pending.push({ runId, location });
  }
  return pending;
}

/** Renames every incomplete run directory aside; returns where each one went. */
export async function setIncompleteRunsAside(instanceDirectory: string): Promise<IncompleteRun[]> {
  const setAside: IncompleteRun[] = [];
  for (const { runId, location } of await pendingIncompleteRuns(instanceDirectory)) {
    const target = `${location}${INCOMPLETE_RUN_SUFFIX}`;
    await rename(location, target);
    setAside.push({ runId, location: target });
  }
  return setAside;
}

/** Every incomplete run of an instance directory, set aside or not yet, sorted by run id. */
export async function listIncompleteRuns(instanceDirectory: string): Promise<IncompleteRun[]> {
  const suffix = `.level${INCOMPLETE_RUN_SUFFIX}`;
  const setAside = (await directoryNames(instanceDirectory))
    .filter((name) => name.endsWith(suffix) && name.length > suffix.length)
    .map((name) => ({ runId: name.slice(0, -suffix.length), location: join(instanceDirectory, name) }));
  const all = [...setAside, ...(await pendingIncompleteRuns(instanceDirectory))];
  return all.sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
}
