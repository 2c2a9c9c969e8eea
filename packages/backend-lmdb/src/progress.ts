/**
 * The largest tsInit of a reopened run, recomputed over every entry that decodes. Undecodable
 * blocks and entries are skipped on purpose: damage must not stop a run from opening for
 * recovery; the scan paths report it instead.
 */
import { decodeEntry } from '@tapelog/core';
import { blockRecord, parseEntryBlock } from '@tapelog/core/backend';
import type { RunEnvironment } from './environment.js';
import { mapStorageError } from './error-mapping.js';
import { seqOfKey } from './rows.js';

export function recoverMaxTsInit(environment: RunEnvironment, location: string): bigint {
  let maxTsInit = 0n;
  try {
    for (const { key, value } of environment.entries.getRange()) {
      const lastSeq = seqOfKey(key as Buffer);
      const block = lastSeq === undefined ? undefined : parseEntryBlock(lastSeq, value);
      // Reported as CORRUPTED by the read paths, where the recovery sweep quarantines the run.
      if (block === undefined || typeof block === 'string') continue;
      for (let seq = block.firstSeq; seq <= block.lastSeq; seq++) {
        try {
          const tsInit = decodeEntry(blockRecord(block, seq)).tsInit;
          if (tsInit > maxTsInit) maxTsInit = tsInit;
        } catch {
          // As above: the read paths report it.
        }
      }
    }
  } catch (error) {
    throw mapStorageError(error, 'recover progress of run', location);
  }
  return maxTsInit;
}
