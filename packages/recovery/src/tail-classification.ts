/**
 * Reads the durable tail of an unsealed run (seq 1..hwm) once, in chunks, and decides the status
 * the recovery sweep seals it with, computing the chain head on the way.
 */
import { ChainHasher, type EventStore, type EventStoreEntry, gapError, isRunEnded, type SealedRunStatus, TapelogError } from '@tapelog/core';

/** How many entries one backend read covers while classifying a tail. */
export const RECOVERY_SCAN_CHUNK_SIZE = 1024;

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
  let last: EventStoreEntry | undefined;
  try {
    for (let lo = 1; lo <= highWatermark; lo += chunkSize) {
      const hi = Math.min(lo + chunkSize - 1, highWatermark);
      const rows = await store.scanRange(lo, hi, 'forward');
      // Backends validate contiguity themselves; the key/seq check also guards third-party
      // backends, whose rows we would otherwise trust blindly.
      if (rows.length !== hi - lo + 1) throw gapError(lo + rows.length - 1, hi + 1, lo + rows.length);
      for (let index = 0; index < rows.length; index++) {
        const entry = rows[index]!;
        if (entry.seq !== lo + index) throw gapError(lo + index - 1, entry.seq, lo + index);
        chain.update(entry.entryHash);
      }
      last = rows[rows.length - 1];
    }
  } catch (error) {
    if (isIntegrityFailure(error)) return { kind: 'sealable', status: 'Quarantined', highWatermark, damage: error };
    return { kind: 'unreadable', highWatermark, error };
  }
  const status: SealedRunStatus = last !== undefined && isRunEnded(last) ? 'Ended' : 'CrashedRecovered';
  return { kind: 'sealable', status, highWatermark, chainHead: chain.headHex };
}
