/**
 * Real corruption: bytes flipped in a run's table, log, descriptor and CURRENT files. Whatever
 * byte is hit, every read either returns exactly the data that was written or fails with
 * CORRUPTED / HASH_MISMATCH / GAP, and listRuns lists the run correctly or skips it.
 */
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AppendEntry, bytesEqual, type EventStore, TapelogError } from '@tapelog/core';
import { temporaryDirectory } from '@tapelog/test-support';
import { beforeAll, describe, expect, test } from 'vitest';
import { createProvider, runPath } from '../src/index.js';
import { appendEntry, INSTANCE, manifestFor } from './helpers.js';

const ENTRY_COUNT = 1500;
/** A flipped byte can also lose the store-format marker row: that run reads as UNSUPPORTED_FORMAT. */
const ALLOWED = new Set(['CORRUPTED', 'HASH_MISMATCH', 'GAP', 'UNSUPPORTED_FORMAT']);
const pristine = temporaryDirectory('tapelog-level-pristine-', 'file');
const scratch = temporaryDirectory('tapelog-level-corrupt-', 'file');
const expected = new Map<number, AppendEntry>();
const ANCHOR = { highWatermark: 1000, blobRef: 'cache://snapshots/1000', contentHash: 'blake3:abc' };

/** 200-byte payloads, and an index key on every tenth entry so index rows are damaged too. */
function entry(seq: number): AppendEntry {
  return appendEntry(seq, { payloadLength: 200, indexKeys: seq % 10 === 0 ? [{ kind: 'client_order_id', key: `O-${seq}` }] : [] });
}

beforeAll(async () => {
  for (let seq = 1; seq <= ENTRY_COUNT; seq++) expected.set(seq, entry(seq));
  const provider = createProvider({ baseDir: pristine });
  for (const [runId, seal] of [
    ['run-sealed', true],
    ['run-unsealed', false],
  ] as const) {
    const store = await provider.openRun(manifestFor(runId));
    for (let seq = 1; seq <= ENTRY_COUNT; seq += 250) {
      await store.appendBatch([...Array(250).keys()].map((i) => expected.get(seq + i)!));
    }
    await store.recordSnapshotAnchor(ANCHOR);
    if (seal) await store.seal('Ended');
    // Closing without sealing leaves the entries in LevelDB's write-ahead log.
    await store.close();
  }
});

/** Runs `operation`; a failure must be a TapelogError with an allowed code. */
async function attempt<T>(operation: () => Promise<T>): Promise<{ value?: T; failed: boolean }> {
  try {
    return { value: await operation(), failed: false };
  } catch (error) {
    if (!TapelogError.isInstance(error) || !ALLOWED.has(error.code)) {
      throw new Error(`unexpected failure: ${(error as Error).stack ?? String(error)}`);
    }
    return { failed: true };
  }
}

function assertGenuine(entry: { seq: number; entryHash: Uint8Array; payload: Uint8Array }): void {
  const original = expected.get(entry.seq);
  expect(original, `seq ${entry.seq} was never written`).toBeDefined();
  expect(bytesEqual(entry.entryHash, original!.entry.entryHash)).toBe(true);
  expect(bytesEqual(entry.payload, original!.entry.payload)).toBe(true);
}

async function readEverything(store: EventStore, runId: string): Promise<void> {
  const manifest = await store.manifest();
  expect([manifest.runId, manifest.instanceId]).toEqual([runId, INSTANCE]);
  const hwm = await store.highWatermark();
  const range = await attempt(() => store.scanRange(1, hwm));
  for (const found of range.value ?? []) assertGenuine(found);
  for (let seq = 1; seq <= hwm; seq += 37) {
    const one = await attempt(() => store.scanSeq(seq));
    if (one.value !== undefined) assertGenuine(one.value);
  }
  const anchor = await attempt(() => store.latestSnapshotAnchor());
  if (!anchor.failed && anchor.value !== undefined) expect(anchor.value).toEqual(ANCHOR);
  for (let seq = 10; seq <= ENTRY_COUNT; seq += 190) {
    const found = await attempt(() => store.lookup('client_order_id', `O-${seq}`));
    if (!found.failed && found.value !== undefined) expect(found.value).toBe(seq);
  }
  const pairs = await attempt(() => store.iterIndexKeys('client_order_id'));
  for (const [key, seq] of pairs.value ?? []) expect(key).toBe(`O-${seq}`);
}

function positions(length: number, count: number): number[] {
  const chosen = new Set<number>([0, length - 1]);
  for (let i = 1; i < count - 1; i++) chosen.add(Math.floor((length * i) / count));
  for (let i = 0; i < 4; i++) chosen.add(Math.floor(Math.random() * length));
  return [...chosen].filter((position) => position >= 0 && position < length);
}

let trial = 0;

async function damageAndRead(runId: string, file: string, position: number): Promise<void> {
  const baseDir = join(scratch, `trial-${trial++}`);
  cpSync(pristine, baseDir, { recursive: true });
  const location = runPath(baseDir, INSTANCE, runId);
  // Remove the manifest copy, so listRuns reads the damaged LevelDB rather than the intact copy.
  rmSync(join(location, 'tapelog-manifest'));
  const bytes = readFileSync(join(location, file));
  bytes[position]! ^= 0xff;
  writeFileSync(join(location, file), bytes);

  const warnings: string[] = [];
  const provider = createProvider({ baseDir }, { warn: (message) => warnings.push(message) });
  const listed = await attempt(() => provider.listRuns(INSTANCE));
  for (const manifest of listed.value ?? []) {
    expect([manifest.instanceId, manifest.status]).toEqual([INSTANCE, manifest.runId === 'run-sealed' ? 'Ended' : 'Running']);
  }
  const opened = await attempt(() => (runId === 'run-sealed' ? provider.openSealed(INSTANCE, runId) : provider.openForRecovery(INSTANCE, runId)));
  if (opened.value !== undefined) {
    try {
      await readEverything(opened.value, runId);
    } finally {
      await opened.value.close();
    }
  }
}

describe.each(['run-sealed', 'run-unsealed'])('flipped bytes in %s', (runId) => {
  test('every file LevelDB keeps, at several positions', async () => {
    const location = runPath(pristine, INSTANCE, runId);
    const files = readdirSync(location).filter((name) => /\.(ldb|sst|log)$|^MANIFEST-|^CURRENT$/.test(name));
    const kinds = files.map((name) => name.replace(/^\d+/, '#'));
    // The sealed run must offer table files, the unsealed one a non-empty log: the test is about both.
    expect(kinds.some((kind) => (runId === 'run-sealed' ? kind.endsWith('.ldb') : kind.endsWith('.log')))).toBe(true);
    let flips = 0;
    for (const file of files) {
      const length = readFileSync(join(location, file)).length;
      if (length === 0) continue;
      for (const position of positions(length, /\.(ldb|log)$/.test(file) ? 16 : 6)) {
        await damageAndRead(runId, file, position);
        flips++;
      }
    }
    expect(flips).toBeGreaterThanOrEqual(20);
  }, 120_000);
});
