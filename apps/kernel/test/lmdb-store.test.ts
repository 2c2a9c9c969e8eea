/**
 * The README's crash-and-restart demo on LMDB: `kernel run --store lmdb:<dir>` killed mid-run,
 * the next `kernel run --store lmdb:<dir>` recovers it as CrashedRecovered parent, and
 * `tapelog verify <dir>/kernel-001/<runId>.lmdb` and `tapelog runs <dir>` read both runs, and
 * `kernel replay-check` reproduces a run recorded on LMDB.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crashAndRestartKernel, expectVerifiedClean, temporaryDirectory } from '@tapelog/test-support';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const TAPELOG = fileURLToPath(new URL('../node_modules/@tapelog/cli/dist/bin.js', import.meta.url));

describe('kernel run --store lmdb:<dir>', () => {
  it('crashes, recovers as parent on the next run, and both runs verify clean with tapelog verify', () => {
    const directory = join(temporaryDirectory(), 'event_store_lmdb');
    const { summary } = crashAndRestartKernel(MAIN, `lmdb:${directory}`);
    // Every run is an LMDB run directory; nothing was written as LevelDB.
    expect(
      readdirSync(join(directory, 'kernel-001'))
        .filter((name) => name !== 'blobs')
        .sort(),
    ).toEqual([`${summary.parentRunId}.lmdb`, `${summary.runId}.lmdb`].sort());

    for (const runId of [summary.parentRunId, summary.runId]) expectVerifiedClean(TAPELOG, join(directory, 'kernel-001', `${runId}.lmdb`), runId);
    // A bare directory holding only LMDB runs is read as LMDB.
    const listed = spawnSync(process.execPath, [TAPELOG, 'runs', directory, 'kernel-001'], { encoding: 'utf8', timeout: 60_000 });
    expect(listed.status, listed.stderr).toBe(0);
    expect(
      listed.stdout
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => line.split(' ')[1]),
    ).toEqual(['status=CrashedRecovered', 'status=Ended']);
  }, 300_000);

  it('replay-check reproduces a run recorded on LMDB', () => {
    const directory = temporaryDirectory();
    const recorded = spawnSync(process.execPath, [MAIN, 'run', '--store', `lmdb:${directory}`, '--seed', '3', '--duration', '5s', '--json'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(recorded.status, recorded.stderr).toBe(0);
    const { runId } = JSON.parse(recorded.stdout) as { runId: string };
    const replayed = spawnSync(process.execPath, [MAIN, 'replay-check', join(directory, 'kernel-001', `${runId}.lmdb`), '--json'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(replayed.status, replayed.stdout + replayed.stderr).toBe(0);
    expect((JSON.parse(replayed.stdout) as { reproduced: boolean }).reproduced).toBe(true);
  }, 300_000);
});
