/** The README's example, run for real. */
import { buildAppendEntry, newManifest } from '@tapelog/core';
import { testReadmeShowsExample } from '@tapelog/test-support';
import { expect, test } from 'vitest';
import { createProvider } from '../src/index.js';

test('the README example keeps a run in memory', async () => {
  // --- README example starts ---
  const provider = createProvider(); // runs vanish with the provider
  const store = await provider.openRun(newManifest({ runId: 'run-1', instanceId: 'trader-001', startTsInit: 0n }));
  const draft = { headers: {}, topic: 'exec.command', payloadType: 'SubmitOrder', payload: new Uint8Array([1]), tsInit: 1n, indexKeys: [] };
  await store.appendBatch([buildAppendEntry(draft, 1, 2n)]);
  const [entry] = await store.scanRange(1, 1); // decoded and hash-checked, as on disk
  // --- README example ends ---
  expect(entry?.seq).toBe(1);
});

testReadmeShowsExample(import.meta.url);
