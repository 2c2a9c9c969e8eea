/**
 * Flushes every dirty page to disk before a timed sample. On ext4 (data=ordered) an fsync can
 * wait for other files' dirty data, so without this a store would pay for the writeback of the
 * store measured before it.
 */
import { execFileSync } from 'node:child_process';

export function flushDisk(): void {
  try {
    execFileSync('sync', { stdio: 'ignore' });
  } catch {
    // No `sync` binary: samples are still interleaved, only less isolated.
  }
}
