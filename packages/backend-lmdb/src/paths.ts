/**
 * Where LMDB runs live on disk: `<baseDir>/<instanceId>/<runId>.lmdb/` per run (the LMDB
 * environment's `data.mdb` and `lock.mdb`, plus the small files tapelog keeps beside them).
 * Ids are checked so they cannot escape `baseDir`.
 */
import { instanceDirectory, runDirectory } from '@tapelog/core/backend';

export { MANIFEST_COPY_FILE } from '@tapelog/core/backend';

export const RUN_DIRECTORY_SUFFIX = '.lmdb';
/** LMDB's data file inside a run directory. */
export const DATA_FILE = 'data.mdb';
/** The digest of the sealed data file, checked before a sealed run is mapped into memory. */
export const SEAL_DIGEST_FILE = 'tapelog-seal-digest';

/** `<baseDir>/<instanceId>`: every run of one trader instance. */
export const instancePath: (baseDir: string, instanceId: string) => string = instanceDirectory;

/** `<baseDir>/<instanceId>/<runId>.lmdb`: the LMDB environment directory of one run. */
export function runPath(baseDir: string, instanceId: string, runId: string): string {
  return runDirectory(baseDir, instanceId, runId, RUN_DIRECTORY_SUFFIX);
}

/** How a store argument names an LMDB base directory (`lmdb:<dir>`), where a bare directory means LevelDB. */
export const LMDB_STORE_PREFIX = 'lmdb:';
