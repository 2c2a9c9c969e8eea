/**
 * Turns lmdb-js and file-system failures into TapelogErrors naming the run: disk pressure →
 * DISK, LMDB's own corruption codes → CORRUPTED, anything else → BACKEND.
 */
import { backendError, corruptedError, diskError, isDiskPressure, TapelogError } from '@tapelog/core';

/** LMDB error texts that mean the environment's files are not a valid LMDB (MDB_CORRUPTED, MDB_INVALID, MDB_PAGE_NOTFOUND…). */
const LMDB_DAMAGE =
  /MDB_CORRUPTED|MDB_INVALID|MDB_PAGE_NOTFOUND|MDB_VERSION_MISMATCH|MDB_BAD_TXN|MDB_INCOMPATIBLE|MDB_BAD_VALSIZE|MDB_BAD_DBI|Invalid argument|File is not an LMDB|Located page was wrong type|Database environment version mismatch|-3079[0-9]|-3078[0-9]/;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** True when the failure says the LMDB files are damaged rather than the machine being short of something. */
export function isLmdbDamage(error: unknown): boolean {
  return LMDB_DAMAGE.test(messageOf(error));
}

/** Maps a failure of `action` on the run at `location`. TapelogErrors pass through unchanged. */
export function mapStorageError(error: unknown, action: string, location: string): TapelogError {
  if (TapelogError.isInstance(error)) return error;
  const text = messageOf(error);
  if (isDiskPressure(error) || /MDB_MAP_FULL/.test(text)) {
    return diskError(`${action} ${location}: ${text}; free disk space (or raise the file-size limit) before writing again`, error);
  }
  if (isLmdbDamage(error)) {
    return corruptedError(`${action} ${location}: LMDB reports damage: ${text}; quarantine the run and verify it`, { cause: error });
  }
  return backendError(`${action} ${location}: ${text}`, error);
}
