/**
 * Progress recovery for a reopened run: the high-watermark is the last stored key (one seek) and
 * the maximum tsInit is recomputed over every row that decodes. Undecodable rows are skipped
 * here on purpose: damage must not stop a run from opening; the scan paths report it instead.
 */
import { decodeEntry } from '@tapelog/core';
import { readLastSeq, type RunDatabase } from './database.js';
import { mapStorageError } from './error-mapping.js';
import { ENTRY_KEYSPACE_END, ENTRY_KEYSPACE_START } from './keys.js';

const CHUNK = 1024;

export interface RunProgress {
  highWatermark: number;
  maxTsInit: bigint;
}

export async function recoverProgress(db: RunDatabase, location: string): Promise<RunProgress> {
  const highWatermark = await readLastSeq(db, location);
  let maxTsInit = 0n;
  const iterator = db.values({ gte: ENTRY_KEYSPACE_START, lt: ENTRY_KEYSPACE_END, highWaterMarkBytes: 1 << 20 });
  try {
    for (;;) {
      const values = await iterator.nextv(CHUNK);
      if (values.length === 0) break;
      for (const value of values) {
        try {
          const tsInit = decodeEntry(value).tsInit;
          if (tsInit > maxTsInit) maxTsInit = tsInit;
        } catch {
          // Reported as CORRUPTED by the read paths, where the recovery sweep quarantines the run.
        }
      }
    }
  } catch (error) {
    throw mapStorageError(error, 'recover progress of run', location);
  } finally {
    await iterator.close().catch(() => undefined);
  }
  return { highWatermark, maxTsInit };
}
