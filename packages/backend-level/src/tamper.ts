/**
 * Test hooks that damage a stored run by editing its LevelDB directly, for the conformance
 * suite's gap and corruption tests. Each edit also removes the manifest copy, so listings read
 * the damaged LevelDB itself rather than a copy that no longer describes it.
 */
import { backendError, type TamperHooks } from '@tapelog/core';
import { stat } from 'node:fs/promises';
import { closeQuietly, openRunDatabase, type RunDatabase } from './database.js';
import { mapStorageError } from './error-mapping.js';
import { ANCHOR_KEY, FORMAT_KEY, MANIFEST_KEY, encodeFormatValue, entryKey } from './keys.js';
import { removeManifestCopy } from './manifest-copy.js';
import { runPath } from './paths.js';

export function createTamperHooks(baseDir: string): TamperHooks {
  const edit = async (instanceId: string, runId: string, change: (db: RunDatabase) => Promise<void>): Promise<void> => {
    const location = runPath(baseDir, instanceId, runId);
    try {
      await stat(location);
    } catch {
      throw backendError(`no run file at ${location}`);
    }
    const db = await openRunDatabase(location, false);
    try {
      await change(db);
    } catch (error) {
      throw mapStorageError(error, 'tamper with run', location);
    } finally {
      await closeQuietly(db);
    }
    await removeManifestCopy(location);
  };
  return {
    deleteEntry: (instanceId, runId, seq) => edit(instanceId, runId, (db) => db.del(entryKey(seq), { sync: true })),
    overwriteEntry: (instanceId, runId, seq, bytes) =>
      edit(instanceId, runId, (db) => db.put(entryKey(seq), Buffer.from(bytes), { sync: true })),
    overwriteAnchor: (instanceId, runId, bytes) => edit(instanceId, runId, (db) => db.put(ANCHOR_KEY, Buffer.from(bytes), { sync: true })),
    deleteManifest: (instanceId, runId) => edit(instanceId, runId, (db) => db.del(MANIFEST_KEY, { sync: true })),
    setFormatMarker: (instanceId, runId, version) =>
      edit(instanceId, runId, (db) =>
        version === undefined ? db.del(FORMAT_KEY, { sync: true }) : db.put(FORMAT_KEY, encodeFormatValue(version), { sync: true }),
      ),
  };
}
