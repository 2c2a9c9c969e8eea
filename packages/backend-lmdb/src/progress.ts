/**
 * The largest tsInit of a reopened run, recomputed over every entry that decodes. Undecodable
 * blocks and entries are skipped on purpose: damage must not stop a run from opening for
 * recovery; the scan paths report it instead.
 */
import { maxTsInitOfBlockRow } from '@tapelog/core/backend';
import type { RunEnvironment } from './environment.js';
import { mapStorageError } from './error-mapping.js';
import { seqOfKey } from './rows.js';

export function recoverMaxTsInit(environment: RunEnvironment, location: string): bigint {
  let maxTsInit = 0n;
  try {
    for (const { key, value } of environment.entries.getRange()) {
      const blockMax = maxTsInitOfBlockRow(seqOfKey(key as Buffer), value);
      if (blockMax > maxTsInit) maxTsInit = blockMax;
    }
  } catch (error) {
    throw mapStorageError(error, 'recover progress of run', location);
  }
  return maxTsInit;
}
