/**
 * Where runs live on disk: `<baseDir>/<instanceId>/<runId>.level/` per run, with the marker
 * sidecar `<runId>.markers.level/` beside it. Ids are checked so they cannot escape `baseDir`.
 */
import { instanceDirectory, runDirectory, runIdOfDirectoryName as runIdOfName } from '@tapelog/core/backend';

export { MANIFEST_COPY_FILE } from '@tapelog/core/backend';

export const RUN_DIRECTORY_SUFFIX = '.level';
export const MARKERS_DIRECTORY_SUFFIX = '.markers.level';

/** `<baseDir>/<instanceId>`: every run of one trader instance. */
export const instancePath: (baseDir: string, instanceId: string) => string = instanceDirectory;

/** `<baseDir>/<instanceId>/<runId>.level`: the LevelDB directory of one run. */
export function runPath(baseDir: string, instanceId: string, runId: string): string {
  return runDirectory(baseDir, instanceId, runId, RUN_DIRECTORY_SUFFIX);
}

/** `<baseDir>/<instanceId>/<runId>.markers.level`: the marker sidecar, never listed as a run. */
export function markersPath(baseDir: string, instanceId: string, runId: string): string {
  return runDirectory(baseDir, instanceId, runId, MARKERS_DIRECTORY_SUFFIX);
}

/** The run id of a directory name in an instance directory, or undefined when it is not a run. */
export function runIdOfDirectoryName(name: string): string | undefined {
  return runIdOfName(name, RUN_DIRECTORY_SUFFIX, [MARKERS_DIRECTORY_SUFFIX]);
}
