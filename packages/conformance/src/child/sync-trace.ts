/**
 * Reads an `strace -f -y` trace of the append child: which acknowledgements (writes of `ack N`
 * to file descriptor 3) were not preceded, since the previous one, by a completed sync of a file
 * under the backend's storage directory.
 */

/** The system calls that make written data durable, as traced. */
export const SYNC_CALLS = ['fsync', 'fdatasync', 'sync_file_range', 'syncfs'] as const;
/** What the audit traces: the sync calls plus `write`, to see the acknowledgements. */
export const TRACED_CALLS = [...SYNC_CALLS, 'write'] as const;

export interface SyncAudit {
  /** Acknowledged hwms with no sync of the storage since the previous acknowledgement. */
  unsynced: number[];
  /** Acknowledgements seen in the trace. */
  acks: number;
  /** Completed syncs of files under the storage directory. */
  syncs: number;
}

const SYNC_START = new RegExp(`^(\\d+)\\s+(${SYNC_CALLS.join('|')})\\(\\d+<([^>]*)>`);
const SYNC_RESUMED = new RegExp(`^(\\d+)\\s+<\\.\\.\\. (${SYNC_CALLS.join('|')}) resumed>.*= 0`);
const ACK_WRITE = /^\d+\s+write\(3<[^>]*>, "ack (\d+)\\n"/;
const OPEN_WRITE = /^\d+\s+write\(3<[^>]*>, "open\\n"/;

export function auditSyncTrace(trace: string, directory: string): SyncAudit {
  const under = directory.endsWith('/') ? directory : `${directory}/`;
  const pending = new Map<string, string>();
  const unsynced: number[] = [];
  let acks = 0;
  let syncs = 0;
  let syncedSinceAck = false;
  const completed = (path: string): void => {
    if (path === directory || path.startsWith(under)) {
      syncs++;
      syncedSinceAck = true;
    }
  };
  for (const line of trace.split('\n')) {
    const ack = ACK_WRITE.exec(line);
    if (ack !== null) {
      acks++;
      if (!syncedSinceAck) unsynced.push(Number(ack[1]));
      syncedSinceAck = false;
      continue;
    }
    if (OPEN_WRITE.test(line)) {
      // Syncs made while the run was created do not count for its first append.
      syncedSinceAck = false;
      continue;
    }
    const start = SYNC_START.exec(line);
    if (start !== null) {
      if (line.includes('<unfinished ...>')) pending.set(start[1]!, start[3]!);
      else if (/\)\s+= 0\s*$/.test(line)) completed(start[3]!);
      continue;
    }
    const resumed = SYNC_RESUMED.exec(line);
    if (resumed !== null) {
      const path = pending.get(resumed[1]!);
      pending.delete(resumed[1]!);
      if (path !== undefined) completed(path);
    }
  }
  return { unsynced, acks, syncs };
}
