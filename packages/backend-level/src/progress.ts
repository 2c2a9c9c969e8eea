/**
 * Progress recovery for a reopened run: the high-watermark is the last stored key (one seek; a
 * block is keyed by its last seq) and the maximum tsInit is recomputed over every entry that
 * decodes. Undecodable blocks and entries are skipped here on purpose: damage must not stop a
 * run from opening; the scan paths report it instead.
 */
import { maxTsInitOfBlockRow } from '@tapelog/core/backend';
import { type RunDatabase, readLastSeq } from './database.js';
import { mapStorageError } from './error-mapping.js';
import { ENTRY_KEYSPACE_END, ENTRY_KEYSPACE_START, seqOfEntryKey } from './keys.js';

/** Block rows per native call. */
const CHUNK = 64;

export interface RunProgress {
  highWatermark: number;
  maxTsInit: bigint;
}

export async function recoverProgress(db: RunDatabase, location: string): Promise<RunProgress> {
  const highWatermark = await readLastSeq(db, location);
  let maxTsInit = 0n;
  const iterator = db.iterator({ gte: ENTRY_KEYSPACE_START, lt: ENTRY_KEYSPACE_END, highWaterMarkBytes: 1 << 20 });
  try {
    for (;;) {
      const rows = await iterator.nextv(CHUNK);
      if (rows.length === 0) break;
      for (const [key, value] of rows) {
        const blockMax = maxTsInitOfBlockRow(seqOfEntryKey(key), value);
        if (blockMax > maxTsInit) maxTsInit = blockMax;
      }
    }
  } catch (error) {
    throw mapStorageError(error, 'recover progress of run', location);
  } finally {
    await iterator.close().catch(() => undefined);
  }
  return { highWatermark, maxTsInit };
}
