/** The read errors that mean the run itself is damaged (exit 1), as opposed to "cannot run" (exit 2). */
import { TapelogError } from '@tapelog/core';
import { EXIT_CORRUPT } from './exit-codes.js';
import { toJson } from './json-output.js';

const INTEGRITY_CODES = new Set(['HASH_MISMATCH', 'GAP', 'CORRUPTED', 'UNSUPPORTED_FORMAT']);

export function isIntegrityError(error: unknown): error is TapelogError {
  return TapelogError.isInstance(error) && INTEGRITY_CODES.has(error.code);
}

/** The one `corrupt path=… error="…"` line a reading command prints on stderr before exiting 1. */
export function integrityErrorLine(path: string, error: TapelogError): string {
  return `corrupt path=${path} code=${error.code} error="${error.message}"\n`;
}

/**
 * For a reading command that failed: exit 1 with the `corrupt …` line for a damaged run, else
 * rethrow (exit 2). With `json`, stdout also gets the damage as the last JSON line
 * (`{"result":"corrupt","path","code","seq","error"}`), so a script reading lines sees why it stopped.
 */
export function corruptExitOrRethrow(path: string, error: unknown, json = false): number {
  if (!isIntegrityError(error)) throw error;
  if (json) process.stdout.write(`${toJson({ result: 'corrupt', path, code: error.code, seq: error.seq ?? null, error: error.message })}\n`);
  process.stderr.write(integrityErrorLine(path, error));
  return EXIT_CORRUPT;
}
