/**
 * Test hooks that damage a stored run by editing its LMDB environment directly, for the
 * conformance suite's gap and corruption tests. Each edit also removes the manifest copy and the
 * seal digest, so listings and sealed opens read the damaged rows themselves.
 */
import { stat } from 'node:fs/promises';
import { runNotFoundError, type TamperHooks } from '@tapelog/core';
import { removeManifestCopy } from '@tapelog/core/backend';
import { type BinaryDatabase, closeQuietly, openEnvironment, type RunEnvironment } from './environment.js';
import { mapStorageError } from './error-mapping.js';
import { runPath } from './paths.js';
import { ANCHOR_KEY, encodeFormatValue, FORMAT_KEY, MANIFEST_KEY, seqKey } from './rows.js';
import { removeSealDigest } from './seal-digest.js';

type Edit = (environment: RunEnvironment) => [database: BinaryDatabase, key: Buffer, value: Uint8Array | undefined];

export function createTamperHooks(baseDir: string, assertNotHeld: (location: string) => void): TamperHooks {
  const edit = async (instanceId: string, runId: string, change: Edit): Promise<void> => {
    const location = runPath(baseDir, instanceId, runId);
    assertNotHeld(location);
    try {
      await stat(location);
    } catch {
      throw runNotFoundError(location);
    }
    const environment = openEnvironment(location, false);
    try {
      const [database, key, value] = change(environment);
      environment.root.transactionSync(() => (value === undefined ? database.removeSync(key) : database.putSync(key, Buffer.from(value))));
      await environment.root.flushed;
    } catch (error) {
      throw mapStorageError(error, 'tamper with run', location);
    } finally {
      await closeQuietly(environment);
    }
    await removeManifestCopy(location);
    await removeSealDigest(location);
  };
  return {
    deleteEntry: (instanceId, runId, seq) => edit(instanceId, runId, (environment) => [environment.entries, seqKey(seq), undefined]),
    overwriteEntry: (instanceId, runId, seq, bytes) => edit(instanceId, runId, (environment) => [environment.entries, seqKey(seq), bytes]),
    overwriteAnchor: (instanceId, runId, bytes) => edit(instanceId, runId, (environment) => [environment.meta, ANCHOR_KEY, bytes]),
    deleteManifest: (instanceId, runId) => edit(instanceId, runId, (environment) => [environment.meta, MANIFEST_KEY, undefined]),
    setFormatMarker: (instanceId, runId, version) =>
      edit(instanceId, runId, (environment) => [environment.meta, FORMAT_KEY, version === undefined ? undefined : encodeFormatValue(version)]),
  };
}
