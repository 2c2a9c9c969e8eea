/**
 * Which local backend a store directory holds. `lmdb:<dir>` names LMDB explicitly; a bare
 * directory is LMDB when its instance directories hold LMDB runs (`<runId>.lmdb`) and no
 * LevelDB run (`<runId>.level`), and LevelDB otherwise (the default backend, also when empty).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** As `@tapelog/backend-lmdb` spells it; repeated so that choosing a backend loads no LMDB binding. */
export const LMDB_STORE_PREFIX = 'lmdb:';

function directoryNames(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

/** The LMDB base directory `store` names, or undefined when it is a LevelDB store. */
export function lmdbBaseDirOf(store: string): string | undefined {
  if (store.startsWith(LMDB_STORE_PREFIX)) return store.slice(LMDB_STORE_PREFIX.length);
  let lmdbRuns = 0;
  for (const instance of directoryNames(store)) {
    for (const name of directoryNames(join(store, instance))) {
      if (name.endsWith('.level') && !name.endsWith('.markers.level')) return undefined;
      if (name.endsWith('.lmdb')) lmdbRuns++;
    }
  }
  return lmdbRuns > 0 ? store : undefined;
}
