/**
 * The worker writer on the LevelDB backend: a kernel's tight synchronous loop of one million
 * submits at the default config finishes without a halt, and seals and abandons are durable
 * for a fresh provider over the same directory (W1, W8).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// A static import: this file fails loudly (never skips) when the LevelDB backend is not built.
import { createProvider } from '@tapelog/backend-level';
import { ChainHasher, newManifest, RealtimeClock, SimulatedClock, verifyEntryHash } from '@tapelog/core';
import { afterEach, expect, test } from 'vitest';
import { type HaltReason, spawnWriter } from '../dist/index.js';
import { draft, RUN_ENDED } from './writer-suite.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function scratch(): string {
  const directory = mkdtempSync(join(tmpdir(), 'tapelog-writer-level-'));
  directories.push(directory);
  return directory;
}

test('tight loop: one million submits that never yield finish without a halt; the run holds them all and its chain head', async () => {
  const baseDir = scratch();
  const manifest = newManifest({ runId: 'run-tight', instanceId: 'trader-001', startTsInit: 0n });
  const halts: HaltReason[] = [];
  const writer = await spawnWriter({
    backend: { module: '@tapelog/backend-level', options: { baseDir } },
    manifest,
    clock: new RealtimeClock(),
    onHalt: (reason) => halts.push(reason),
  });
  const count = 1_000_000;
  const payload = new Uint8Array(200).fill(7);
  const template = draft(0n, payload);
  const start = performance.now();
  for (let i = 1; i <= count; i++) {
    template.tsInit = BigInt(i);
    if (writer.submit(template) !== i) throw new Error(`seq ${i} expected`);
  }
  const loopMs = performance.now() - start;
  expect(halts).toEqual([]);
  const sealed = await writer.close(RUN_ENDED);
  const totalMs = performance.now() - start;
  console.log(`tight loop: ${count} submits in ${(loopMs / 1000).toFixed(1)}s, durable and sealed after ${(totalMs / 1000).toFixed(1)}s`);
  expect(sealed).toMatchObject({ status: 'Ended', highWatermark: count + 1 });
  const store = await createProvider({ baseDir }).openSealed('trader-001', 'run-tight');
  try {
    const chain = new ChainHasher();
    let expected = 1;
    for (let from = 1; from <= count + 1; from += 50_000) {
      for (const entry of await store.scanRange(from, Math.min(count + 1, from + 49_999))) {
        if (entry.seq !== expected++) throw new Error(`gap at ${expected - 1}`);
        chain.update(entry.entryHash);
      }
    }
    expect(expected).toBe(count + 2);
    expect((await store.scanSeq(count + 1))?.payloadType).toBe('RunEnded');
    expect(chain.headHex).toBe(sealed.chainHead);
  } finally {
    await store.close();
  }
  expect(halts).toEqual([]);
}, 240_000);

test('W1 a closed run is sealed on disk: reopening it says already sealed; entries verify', async () => {
  const baseDir = scratch();
  const manifest = newManifest({ runId: 'run-write', instanceId: 'trader-001', startTsInit: 0n });
  const writer = await spawnWriter({ backend: { module: '@tapelog/backend-level', options: { baseDir } }, manifest, clock: new SimulatedClock() });
  writer.submit(draft(1n, undefined, [{ kind: 'client_order_id', key: 'O-1' }]));
  writer.submit(draft(2n, undefined, [{ kind: 'venue_order_id', key: 'V-1' }]));
  writer.submit(draft(3n));
  expect((await writer.close(RUN_ENDED)).highWatermark).toBe(4);
  const provider = createProvider({ baseDir });
  await expect(provider.openRun(manifest)).rejects.toMatchObject({ code: 'RUN_SEALED' });
  const store = await provider.openSealed('trader-001', 'run-write');
  try {
    expect(await store.lookup('client_order_id', 'O-1')).toBe(1);
    expect(await store.lookup('venue_order_id', 'V-1')).toBe(2);
    for (const entry of await store.scanRange(1, 4)) expect(verifyEntryHash(entry)).toBe(true);
  } finally {
    await store.close();
  }
});

test('W8 abandoning leaves the run Running: a fresh openRun reports CRASHED_PREDECESSOR and recovery sees hwm 1', async () => {
  const baseDir = scratch();
  const manifest = newManifest({ runId: 'run-drop', instanceId: 'trader-001', startTsInit: 0n });
  const writer = await spawnWriter({ backend: { module: '@tapelog/backend-level', options: { baseDir } }, manifest, clock: new SimulatedClock() });
  writer.submit(draft(1n));
  await writer.waitForDurable(1, { timeoutMs: 5000 });
  expect(await writer.abandon()).toBe(1);
  const provider = createProvider({ baseDir });
  await expect(provider.openRun(manifest)).rejects.toMatchObject({ code: 'CRASHED_PREDECESSOR' });
  const store = await provider.openForRecovery('trader-001', 'run-drop');
  try {
    expect(await store.highWatermark()).toBe(1);
  } finally {
    await store.close();
  }
});

test('the backend stays loaded after writer threads exit, so LevelDB threads never run unloaded code', () => {
  // Node unloads an addon when the last thread that loaded it exits. Before spawnWriter loaded the
  // backend on the calling thread too, classic-level was unmapped here once a writer closed, and
  // LevelDB's compaction thread (started by the seal) later crashed the process with SIGSEGV.
  const fixture = fileURLToPath(new URL('./fixtures/close-many-writers.mjs', import.meta.url));
  const result = spawnSync(process.execPath, [fixture, '10'], { encoding: 'utf8', timeout: 120_000 });
  expect({ status: result.status, signal: result.signal, stderr: result.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
  expect(result.stdout).toBe('closed 10 writers; classic-level still loaded: true\n');
}, 120_000);
