/**
 * Turns a run directory path `<baseDir>/<instanceId>/<runId>.level` (LevelDB) or
 * `<baseDir>/<instanceId>/<runId>.lmdb` (LMDB) into the provider coordinates (baseDir,
 * instanceId, runId) the backend opens runs by.
 */
import { basename, dirname, resolve } from 'node:path';
import { MARKERS_DIRECTORY_SUFFIX, RUN_DIRECTORY_SUFFIX } from '@tapelog/backend-level';
import { UsageError } from './command-line.js';
import { LMDB_STORE_PREFIX } from './store-layout.js';
import { isPostgresUrl, parsePostgresRunUrl } from './store-url.js';

export interface RunCoordinates {
  /** The path as given, resolved; for a PostgreSQL run its URL without the password. */
  path: string;
  /** The store: a base directory, or a PostgreSQL store URL (with its password: never print it). */
  baseDir: string;
  instanceId: string;
  runId: string;
  /** Present for an LMDB run (`<runId>.lmdb`), whose store is `lmdb:<baseDir>`; absent for LevelDB and PostgreSQL. */
  backend?: 'lmdb';
}

/** The LMDB run directory suffix (kept here so that parsing a path loads no LMDB binding). */
const LMDB_RUN_SUFFIX = '.lmdb';

/** The store argument that opens the run's provider: `lmdb:<baseDir>` for an LMDB run, else `baseDir`. */
export function storeOfRun(coordinates: RunCoordinates): string {
  return coordinates.backend === 'lmdb' ? `${LMDB_STORE_PREFIX}${coordinates.baseDir}` : coordinates.baseDir;
}

export function parseRunPath(path: string): RunCoordinates {
  if (isPostgresUrl(path)) {
    const run = parsePostgresRunUrl(path);
    const store = new URL(run.connectionString);
    if (run.schema !== undefined) store.searchParams.set('schema', run.schema);
    return { path: run.display, baseDir: store.toString(), instanceId: run.instanceId, runId: run.runId };
  }
  const resolved = resolve(path.replace(/[\\/]+$/, ''));
  const name = basename(resolved);
  if (name.endsWith(LMDB_RUN_SUFFIX) && name.length > LMDB_RUN_SUFFIX.length) {
    const instanceDirectory = dirname(resolved);
    const runId = name.slice(0, -LMDB_RUN_SUFFIX.length);
    return { path: resolved, baseDir: dirname(instanceDirectory), instanceId: basename(instanceDirectory), runId, backend: 'lmdb' };
  }
  if (!name.endsWith(RUN_DIRECTORY_SUFFIX) || name.endsWith(MARKERS_DIRECTORY_SUFFIX) || name.length === RUN_DIRECTORY_SUFFIX.length) {
    throw new UsageError(
      `${path} is not a run directory: expected <baseDir>/<instanceId>/<runId>${RUN_DIRECTORY_SUFFIX} or <runId>${LMDB_RUN_SUFFIX} (tapelog runs <baseDir> <instanceId> lists them)`,
    );
  }
  const instanceDirectory = dirname(resolved);
  return {
    path: resolved,
    baseDir: dirname(instanceDirectory),
    instanceId: basename(instanceDirectory),
    runId: name.slice(0, -RUN_DIRECTORY_SUFFIX.length),
  };
}
