/**
 * Where LMDB runs live on disk: `<baseDir>/<instanceId>/<runId>.lmdb/` per run (the LMDB
 * environment's `data.mdb` and `lock.mdb`, plus the small files tapelog keeps beside them).
 * Ids are checked so they cannot escape `baseDir`.
 */
import { join } from 'node:path';
import { assertSafePathSegment } from '@tapelog/core';

export const RUN_DIRECTORY_SUFFIX = '.lmdb';
/** LMDB's data file inside a run directory. */
export const DATA_FILE = 'data.mdb';
/** The durable copy of the manifest kept inside the run directory for fast listings. */
export const MANIFEST_COPY_FILE = 'tapelog-manifest';
/** The digest of the sealed data file, checked before a sealed run is mapped into memory. */
export const SEAL_DIGEST_FILE = 'tapelog-seal-digest';

/** `<baseDir>/<instanceId>`: every run of one trader instance. */
export function instancePath(baseDir: string, instanceId: string): string {
  assertSafePathSegment('instanceId', instanceId);
  return join(baseDir, instanceId);
}

/** `<baseDir>/<instanceId>/<runId>.lmdb`: the LMDB environment directory of one run. */
export function runPath(baseDir: string, instanceId: string, runId: string): string {
  assertSafePathSegment('runId', runId);
  return join(instancePath(baseDir, instanceId), `${runId}${RUN_DIRECTORY_SUFFIX}`);
}

/** The run id of a directory name in an instance directory, or undefined when it is not an LMDB run. */
export function runIdOfDirectoryName(name: string): string | undefined {
  if (!name.endsWith(RUN_DIRECTORY_SUFFIX)) return undefined;
  const runId = name.slice(0, -RUN_DIRECTORY_SUFFIX.length);
  return runId.length === 0 ? undefined : runId;
}

/** How a store argument names an LMDB base directory (`lmdb:<dir>`), where a bare directory means LevelDB. */
export const LMDB_STORE_PREFIX = 'lmdb:';
