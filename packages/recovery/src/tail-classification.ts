/**
 * Reads the durable tail of an unsealed run (seq 1..hwm) once, in chunks, and decides the status
 * the recovery sweep seals it with, computing the chain head on the way.
 */
import { ChainHasher, type EventStore, gapError, isRunEnded, type SealedRunStatus, TapelogError } from '@tapelog/core';
import { walkEntryHashes } from './entry-hash-ranges.js';

/** How many entries one backend read covers while classifying a tail. */
export const RECOVERY_SCAN_CHUNK_SIZE = 1024;
/** Chunk reads kept in flight ahead of the one being chained. */
const READ_AHEAD_CHUNKS = 3;

export type TailClassification =
  | { kind: 'sealable'; status: SealedRunStatus; highWatermark: number; chainHead?: string; damage?: TapelogError }
  | { kind: 'unreadable'; highWatermark: number; error: unknown };

/** The integrity failures that quarantine a run; any other read failure leaves it for the next sweep. */
function isIntegrityFailure(error: unknown): error is TapelogError {
  return TapelogError.hasCode(error, 'HASH_MISMATCH') || TapelogError.hasCode(error, 'CORRUPTED') || TapelogError.hasCode(error, 'GAP');
}

/**
 * The decision table of the recovery sweep:
 * nothing durable → CrashedRecovered; the last entry is RunEnded (topic and payload type) → Ended;
 * any other clean tail → CrashedRecovered; a hash mismatch, gap or undecodable row → Quarantined
 * (no chain head: there is no intact log to commit to). Any other read error → unreadable.
 */
export async function classifyTail(store: EventStore, chunkSize = RECOVERY_SCAN_CHUNK_SIZE): Promise<TailClassification> {
  const highWatermark = await store.highWatermark();
  const chain = new ChainHasher();
  if (highWatermark === 0) return { kind: 'sealable', status: 'CrashedRecovered', highWatermark, chainHead: chain.headHex };
  let ended = false;
  try {
    await walkEntryHashes(store, highWatermark, chunkSize, READ_AHEAD_CHUNKS, (range, _lo, hi) => {
      if (range.to !== hi) throw gapError(range.to, hi + 1, range.to + 1);
      for (let offset = 0; offset < range.hashes.length; offset += 32) chain.updateAt(range.hashes, offset);
    });
    // The last entry decides Ended; it was checked with its chunk, this reads it whole.
    const last = await store.scanSeq(highWatermark);
    if (last === undefined) throw gapError(highWatermark - 1, highWatermark + 1, highWatermark);
    ended = isRunEnded(last);
  } catch (error) {
    if (isIntegrityFailure(error)) return { kind: 'sealable', status: 'Quarantined', highWatermark, damage: error };
    return { kind: 'unreadable', highWatermark, error };
  }
  const status: SealedRunStatus = ended ? 'Ended' : 'CrashedRecovered';
  return { kind: 'sealable', status, highWatermark, chainHead: chain.headHex };
}
