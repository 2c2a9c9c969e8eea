/**
 * The largest tsInit of a reopened run, recomputed over every entry that decodes. Undecodable
 * entries are skipped on purpose: damage must not stop a run from opening for recovery; the
 * scan paths report it instead.
 */
import { decodeEntry } from '@tapelog/core';
import type { RunEnvironment } from './environment.js';
import { mapStorageError } from './error-mapping.js';

export function recoverMaxTsInit(environment: RunEnvironment, location: string): bigint {
  let maxTsInit = 0n;
  try {
    for (const value of environment.entries.getValues(undefined as never)) {
      try {
        const tsInit = decodeEntry(value).tsInit;
        if (tsInit > maxTsInit) maxTsInit = tsInit;
      } catch {
        // Reported as CORRUPTED by the read paths, where the recovery sweep quarantines the run.
      }
    }
  } catch (error) {
    throw mapStorageError(error, 'recover progress of run', location);
  }
  return maxTsInit;
}
