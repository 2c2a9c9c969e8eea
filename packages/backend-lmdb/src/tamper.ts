/**
 * Test hooks that damage a stored run by editing its LMDB environment directly, for the
 * conformance suite's gap and corruption tests. Entry edits rewrite the block holding the seq
 * (splitting it around a deleted one). Each edit also removes the manifest copy and the seal
 * digest, so listings and sealed opens read the damaged rows themselves.
 */
import { stat } from 'node:fs/promises';
import { corruptedError, runNotFoundError, type TamperHooks } from '@tapelog/core';
import { encodeEntryBlock, parseEntryBlock, removeManifestCopy, rewriteBlockRecord } from '@tapelog/core/backend';
import { type BinaryDatabase, closeQuietly, openEnvironment, type RunEnvironment } from './environment.js';
import { mapStorageError } from './error-mapping.js';
import { runPath } from './paths.js';
import { ANCHOR_KEY, encodeFormatValue, FORMAT_KEY, MANIFEST_KEY, seqKey, seqOfKey } from './rows.js';
import { removeSealDigest } from './seal-digest.js';

/** Row writes of one edit, applied in order in one transaction: a value of undefined removes the row. */
type Edit = (environment: RunEnvironment) => Array<[database: BinaryDatabase, key: Buffer, value: Uint8Array | undefined]>;

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
      const writes = change(environment);
      environment.root.transactionSync(() => {
        for (const [database, key, value] of writes) {
          if (value === undefined) database.removeSync(key);
          else database.putSync(key, Buffer.from(value));
        }
      });
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
    deleteEntry: (instanceId, runId, seq) => edit(instanceId, runId, (environment) => rewriteEntry(environment, seq, undefined)),
    overwriteEntry: (instanceId, runId, seq, bytes) => edit(instanceId, runId, (environment) => rewriteEntry(environment, seq, bytes)),
    overwriteAnchor: (instanceId, runId, bytes) => edit(instanceId, runId, (environment) => [[environment.meta, ANCHOR_KEY, bytes]]),
    deleteManifest: (instanceId, runId) => edit(instanceId, runId, (environment) => [[environment.meta, MANIFEST_KEY, undefined]]),
    setFormatMarker: (instanceId, runId, version) =>
      edit(instanceId, runId, (environment) => [[environment.meta, FORMAT_KEY, version === undefined ? undefined : encodeFormatValue(version)]]),
  };
}

/**
 * The writes that replace the record of `seq` with `bytes`, or remove it when `bytes` is
 * undefined. A seq no block holds gets a block of its own.
 */
function rewriteEntry(environment: RunEnvironment, seq: number, bytes: Uint8Array | undefined): ReturnType<Edit> {
  const { entries } = environment;
  for (const { key, value } of entries.getRange({ start: seqKey(seq), limit: 1 })) {
    const lastSeq = seqOfKey(key as Buffer);
    const block = lastSeq === undefined ? 'malformed key' : parseEntryBlock(lastSeq, value);
    if (typeof block === 'string') throw corruptedError(`cannot tamper with seq ${seq}: the block holding it is already damaged (${block})`, { seq });
    if (block.firstSeq > seq) break;
    const rewrite = rewriteBlockRecord(block, seq, bytes);
    return [[entries, seqKey(rewrite.remove), undefined], ...rewrite.put.map(([last, value]): ReturnType<Edit>[number] => [entries, seqKey(last), value])];
  }
  return bytes === undefined ? [] : [[entries, seqKey(seq), encodeEntryBlock([bytes])]];
}
