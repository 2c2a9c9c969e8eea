/**
 * Group commit: how many staged entries one commit takes. A writer keeping up commits at
 * `maxBatchEntries`; a writer that is behind (its oldest staged entry has waited longer than
 * `maxBatchLatencyMs`, typically behind a slow sync) takes everything staged up to a cap, so the
 * commit rate adapts to the backend's sync latency instead of capping throughput at
 * `maxBatchEntries` per sync.
 */
import type { AppendEntry } from '@tapelog/core';

/** Most entries one group commit takes: a LevelDB write batch of this size still syncs in a few ms. */
export const GROUP_COMMIT_MAX_ENTRIES = 8192;
/** Most payload bytes one group commit takes, so a backlog of large payloads is not one huge write. */
export const GROUP_COMMIT_MAX_BYTES = 4 * 1024 * 1024;

/**
 * The number of entries from the front of `staged` (the first `available` of them are
 * entries) that the next commit takes: at most `maxBatchEntries` unless the writer is `behind`,
 * then as many as the group caps allow (never fewer than `maxBatchEntries`).
 */
export function groupCommitSize(staged: readonly unknown[], available: number, maxBatchEntries: number, behind: boolean): number {
  if (available <= maxBatchEntries || !behind) return Math.min(available, maxBatchEntries);
  const limit = Math.min(available, Math.max(maxBatchEntries, GROUP_COMMIT_MAX_ENTRIES));
  let bytes = 0;
  let count = 0;
  while (count < limit) {
    bytes += (staged[count] as AppendEntry).entry.payload.length;
    if (count >= maxBatchEntries && bytes > GROUP_COMMIT_MAX_BYTES) break;
    count++;
  }
  return count;
}
