/**
 * Test hooks that damage a stored run by editing its LevelDB directly, for the conformance
 * suite's gap and corruption tests. Entry edits rewrite the block holding the seq (splitting it
 * around a deleted one). Each edit also removes the manifest copy, so listings read the damaged
 * LevelDB itself rather than a copy that no longer describes it.
 */

import { stat } from 'node:fs/promises';
import { corruptedError, runNotFoundError, type TamperHooks } from '@tapelog/core';
import { type EntryBlock, encodeEntryBlock, parseEntryBlock, removeManifestCopy, rewriteBlockRecord } from '@tapelog/core/backend';
import { closeQuietly, openRunDatabase, type RunDatabase } from './database.js';
import { mapStorageError } from './error-mapping.js';
import { ANCHOR_KEY, ENTRY_KEYSPACE_END, encodeFormatValue, entryKey, FORMAT_KEY, MANIFEST_KEY, seqOfEntryKey } from './keys.js';
import { runPath } from './paths.js';

export function createTamperHooks(baseDir: string): TamperHooks {
  const edit = async (instanceId: string, runId: string, change: (db: RunDatabase) => Promise<void>): Promise<void> => {
    const location = runPath(baseDir, instanceId, runId);
    try {
      await stat(location);
    } catch {
      throw runNotFoundError(location);
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
    deleteEntry: (instanceId, runId, seq) => edit(instanceId, runId, (db) => rewriteEntry(db, seq, undefined)),
    overwriteEntry: (instanceId, runId, seq, bytes) => edit(instanceId, runId, (db) => rewriteEntry(db, seq, bytes)),
    overwriteAnchor: (instanceId, runId, bytes) => edit(instanceId, runId, (db) => db.put(ANCHOR_KEY, Buffer.from(bytes), { sync: true })),
    deleteManifest: (instanceId, runId) => edit(instanceId, runId, (db) => db.del(MANIFEST_KEY, { sync: true })),
    setFormatMarker: (instanceId, runId, version) =>
      edit(instanceId, runId, (db) =>
        version === undefined ? db.del(FORMAT_KEY, { sync: true }) : db.put(FORMAT_KEY, encodeFormatValue(version), { sync: true }),
      ),
  };
}

/** The intact block holding `seq`, or undefined when no block does. */
async function blockHolding(db: RunDatabase, seq: number): Promise<EntryBlock | undefined> {
  const [row] = await db.iterator({ gte: entryKey(seq), lt: ENTRY_KEYSPACE_END, limit: 1 }).all();
  if (row === undefined) return undefined;
  const lastSeq = seqOfEntryKey(row[0]);
  const block = lastSeq === undefined ? 'malformed key' : parseEntryBlock(lastSeq, row[1]);
  if (typeof block === 'string') throw corruptedError(`cannot tamper with seq ${seq}: the block holding it is already damaged (${block})`, { seq });
  return block.firstSeq <= seq ? block : undefined;
}

/**
 * Replaces the record of `seq` with `bytes`, or removes it when `bytes` is undefined (the block
 * is split in two around it). A seq no block holds gets a block of its own.
 */
async function rewriteEntry(db: RunDatabase, seq: number, bytes: Uint8Array | undefined): Promise<void> {
  const block = await blockHolding(db, seq);
  const batch = db.batch();
  if (block === undefined) {
    if (bytes !== undefined) batch.put(entryKey(seq), encodeEntryBlock([bytes]));
    return batch.write({ sync: true });
  }
  const rewrite = rewriteBlockRecord(block, seq, bytes);
  batch.del(entryKey(rewrite.remove));
  for (const [lastSeq, value] of rewrite.put) batch.put(entryKey(lastSeq), value);
  await batch.write({ sync: true });
}
