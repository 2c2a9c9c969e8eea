/** The strace parser of the sync audit: what counts as a sync of the run files before an acknowledgement. */
import { describe, expect, test } from 'vitest';
import { auditSyncTrace } from '../src/child/sync-trace.js';

const DIR = '/data/runs';

type TraceCase = [name: string, lines: string[], expected: ReturnType<typeof auditSyncTrace>];

const CASES: TraceCase[] = [
  [
    'a completed sync of a file under the directory covers the next acknowledgement only',
    [
      '100 write(3<pipe:[7]>, "open\\n", 5) = 5',
      '101 fdatasync(12</data/runs/i/r.level/000003.log>) = 0',
      '100 write(3<pipe:[7]>, "ack 3\\n", 6) = 6',
      '100 write(3<pipe:[7]>, "ack 6\\n", 6) = 6',
    ],
    { unsynced: [6], acks: 2, syncs: 1 },
  ],
  [
    'an unfinished sync counts once it resumes with success, on the same thread',
    [
      '100 write(3<pipe:[7]>, "open\\n", 5) = 5',
      '102 fsync(9</data/runs/i/r/journal> <unfinished ...>',
      '100 write(3<pipe:[7]>, "ack 1\\n", 6) = 6',
      '102 <... fsync resumed>) = 0',
      '100 write(3<pipe:[7]>, "ack 2\\n", 6) = 6',
    ],
    { unsynced: [1], acks: 2, syncs: 1 },
  ],
  [
    // The manifest sync is counted among the syncs seen, but it came before the run was open.
    'syncs of other files, failed syncs and syncs made while the run was created do not count',
    [
      '101 fsync(4</data/runs/i/r/manifest>) = 0',
      '100 write(3<pipe:[7]>, "open\\n", 5) = 5',
      '101 fsync(5</tmp/elsewhere/file>) = 0',
      '101 fdatasync(6</data/runs/i/r/journal>) = -1 EIO (Input/output error)',
      '100 write(3<pipe:[7]>, "ack 1\\n", 6) = 6',
    ],
    { unsynced: [1], acks: 1, syncs: 1 },
  ],
];

describe('auditSyncTrace', () => {
  test.each(CASES)('%s', (_name, lines, expected) => {
    expect(auditSyncTrace(lines.join('\n'), DIR)).toEqual(expected);
  });
});
