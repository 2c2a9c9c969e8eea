/**
 * Turns a run directory path `<baseDir>/<instanceId>/<runId>.level` into the provider
 * coordinates (baseDir, instanceId, runId) the LevelDB backend opens runs by.
 */
import { basename, dirname, resolve } from 'node:path';
import { MARKERS_DIRECTORY_SUFFIX, RUN_DIRECTORY_SUFFIX } from '@tapelog/backend-level';
import { UsageError } from './command-line.js';
import { isPostgresUrl, parsePostgresRunUrl } from './store-url.js';

export interface RunCoordinates {
  /** The path as given, resolved; for a PostgreSQL run its URL without the password. */
  path: string;
  /** The store: a base directory, or a PostgreSQL store URL (with its password: never print it). */
  baseDir: string;
  instanceId: string;
  runId: string;
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
  if (!name.endsWith(RUN_DIRECTORY_SUFFIX) || name.endsWith(MARKERS_DIRECTORY_SUFFIX) || name.length === RUN_DIRECTORY_SUFFIX.length) {
    throw new UsageError(
      `${path} is not a run directory: expected <baseDir>/<instanceId>/<runId>${RUN_DIRECTORY_SUFFIX} (tapelog runs <baseDir> <instanceId> lists them)`,
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
