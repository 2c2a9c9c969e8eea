/** The read errors that mean the run itself is damaged (exit 1), as opposed to "cannot run" (exit 2). */
import { TapelogError } from '@tapelog/core';

const INTEGRITY_CODES = new Set(['HASH_MISMATCH', 'GAP', 'CORRUPTED']);

export function isIntegrityError(error: unknown): error is TapelogError {
  return TapelogError.isInstance(error) && INTEGRITY_CODES.has(error.code);
}

/** The one `corrupt path=… error="…"` line a reading command prints on stderr before exiting 1. */
export function integrityErrorLine(path: string, error: TapelogError): string {
  return `corrupt path=${path} code=${error.code} error="${error.message}"\n`;
}
