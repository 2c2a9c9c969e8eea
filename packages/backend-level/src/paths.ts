/**
 * Where runs live on disk: `<baseDir>/<instanceId>/<runId>.level/` per run, with the marker
 * sidecar `<runId>.markers.level/` beside it. Ids are checked so they cannot escape `baseDir`.
 */
import { join } from 'node:path';
import { assertSafePathSegment } from '@tapelog/core';

export const RUN_DIRECTORY_SUFFIX = '.level';
export const MARKERS_DIRECTORY_SUFFIX = '.markers.level';
/** The durable copy of the manifest kept inside the run directory for fast listings. */
export const MANIFEST_COPY_FILE = 'tapelog-manifest';

/** `<baseDir>/<instanceId>`: every run of one trader instance. */
export function instancePath(baseDir: string, instanceId: string): string {
  assertSafePathSegment('instanceId', instanceId);
  return join(baseDir, instanceId);
}

/** `<baseDir>/<instanceId>/<runId>.level`: the LevelDB directory of one run. */
export function runPath(baseDir: string, instanceId: string, runId: string): string {
  assertSafePathSegment('runId', runId);
  return join(instancePath(baseDir, instanceId), `${runId}${RUN_DIRECTORY_SUFFIX}`);
}

/** `<baseDir>/<instanceId>/<runId>.markers.level`: the marker sidecar, never listed as a run. */
export function markersPath(baseDir: string, instanceId: string, runId: string): string {
  assertSafePathSegment('runId', runId);
  return join(instancePath(baseDir, instanceId), `${runId}${MARKERS_DIRECTORY_SUFFIX}`);
}

/** The run id of a directory name in an instance directory, or undefined when it is not a run. */
export function runIdOfDirectoryName(name: string): string | undefined {
  if (!name.endsWith(RUN_DIRECTORY_SUFFIX) || name.endsWith(MARKERS_DIRECTORY_SUFFIX)) return undefined;
  const runId = name.slice(0, -RUN_DIRECTORY_SUFFIX.length);
  return runId.length === 0 ? undefined : runId;
}

export function manifestCopyPath(runDirectory: string): string {
  return join(runDirectory, MANIFEST_COPY_FILE);
}
