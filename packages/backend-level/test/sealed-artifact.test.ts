/** A sealed run is an artifact: compacted with an empty write-ahead log, and reading it never rewrites its tables. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { temporaryDirectory } from '@tapelog/test-support';
import { beforeEach, expect, test } from 'vitest';
import { createProvider, type LevelProvider, runPath } from '../src/index.js';
import { appendEntries, INSTANCE, manifestFor } from './helpers.js';

let directory: string;
let provider: LevelProvider;

beforeEach(() => {
  directory = temporaryDirectory('tapelog-level-');
  provider = createProvider({ baseDir: directory });
});

function tableChecksums(location: string): Record<string, string> {
  const checksums: Record<string, string> = {};
  for (const name of readdirSync(location)
    .filter((file) => /\.(ldb|sst)$/.test(file))
    .sort()) {
    checksums[name] = createHash('sha256')
      .update(readFileSync(join(location, name)))
      .digest('hex');
  }
  return checksums;
}

function logSizes(location: string): number[] {
  return readdirSync(location)
    .filter((file) => file.endsWith('.log'))
    .map((file) => statSync(join(location, file)).size);
}

async function sealLargeRun(): Promise<string> {
  const store = await provider.openRun(manifestFor('run-1'));
  for (let seq = 1; seq <= 3000; seq += 500) await store.appendBatch(appendEntries(seq, seq + 499, { payloadLength: 200 }));
  await store.recordSnapshotAnchor({ highWatermark: 3000, blobRef: 'cache://x', contentHash: 'blake3:y' });
  await store.seal('Ended');
  await store.close();
  return runPath(directory, INSTANCE, 'run-1');
}

test('seal leaves the run compacted into table files with no pending write-ahead log', async () => {
  const location = await sealLargeRun();
  expect(Object.keys(tableChecksums(location)).length).toBeGreaterThan(0);
  expect(logSizes(location).every((size) => size === 0)).toBe(true);
});

test('a run smaller than the write buffer reaches its tables once: one table file, nothing compacted', async () => {
  // About 6 MiB of entries: past LevelDB's default 4 MiB write buffer, which flushed and
  // compacted such a run several times over (two 2 MiB table files or more after the seal).
  const store = await provider.openRun(manifestFor('run-big'));
  for (let seq = 1; seq <= 3000; seq += 500) await store.appendBatch(appendEntries(seq, seq + 499, { payloadLength: 2000 }));
  await store.seal('Ended');
  await store.close();
  const location = runPath(directory, INSTANCE, 'run-big');
  expect(Object.keys(tableChecksums(location))).toHaveLength(1);
  expect(readFileSync(join(location, 'LOG'), 'utf8')).not.toMatch(/Compacting/);
  expect(logSizes(location).every((size) => size === 0)).toBe(true);
});

test('openSealed and a full scan never rewrite the table files', async () => {
  const location = await sealLargeRun();
  const before = tableChecksums(location);
  for (let round = 0; round < 3; round++) {
    const reader = await provider.openSealed(INSTANCE, 'run-1');
    expect(await reader.highWatermark()).toBe(3000);
    expect((await reader.scanRange(1, 3000)).length).toBe(3000);
    for (let seq = 1; seq <= 3000; seq += 97) expect((await reader.scanSeq(seq))?.seq).toBe(seq);
    expect(await reader.latestSnapshotAnchor()).toEqual({ highWatermark: 3000, blobRef: 'cache://x', contentHash: 'blake3:y' });
    await reader.close();
  }
  await provider.listRuns(INSTANCE);
  expect(tableChecksums(location)).toEqual(before);
  expect(logSizes(location).every((size) => size === 0)).toBe(true);
});
