/** The README's example, run for real on LevelDB with the worker writer. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EntryDraft, newManifest, RealtimeClock, runEndedDraft } from '@tapelog/core';
import { exampleFrom, firstTypeScriptBlock } from '@tapelog/test-support';
import { expect, test } from 'vitest';
// The built package: the worker thread runs dist/worker.js.
import { type HaltReason, spawnWriter } from '../dist/index.js';

test('the README example submits, waits for durability and seals', async () => {
  const baseDir = mkdtempSync(join(tmpdir(), 'tapelog-writer-readme-'));
  const halts: HaltReason[] = [];
  const clock = new RealtimeClock();
  const manifest = newManifest({ runId: '1700000000-abcd1234', instanceId: 'trader-001', startTsInit: clock.now() });
  const draft: EntryDraft = {
    headers: {},
    topic: 'exec.command',
    payloadType: 'SubmitOrder',
    payload: new Uint8Array([1, 2, 3]),
    tsInit: clock.now(),
    indexKeys: [],
  };
  try {
    // --- README example starts ---
    const writer = await spawnWriter({
      backend: { module: '@tapelog/backend-level', options: { baseDir } }, // rebuilt inside the writer thread
      manifest, // the run to open there
      config: { haltThresholdMs: 250 },
      onHalt: (reason) => halts.push(reason), // fires once; the run is over, nothing accepted is lost
      clock,
    });
    const seq = writer.submit(draft); // synchronous and cheap: copied into shared memory
    await writer.waitForDurable(seq);
    const sealed = await writer.close(runEndedDraft(clock.now())); // drains, appends RunEnded, seals Ended with the chain head
    // --- README example ends ---
    expect([sealed.status, sealed.highWatermark, halts.length]).toEqual(['Ended', 2, 0]);
    expect(sealed.chainHead).toMatch(/^[0-9a-f]{64}$/);
  } finally {
    rmSync(baseDir, { recursive: true, force: true });
  }
});

test('the README shows that example verbatim', () => {
  expect(firstTypeScriptBlock(new URL('../README.md', import.meta.url))).toBe(exampleFrom(new URL(import.meta.url)));
});
