/** The README's example, run for real against a temporary directory. */
import { buildAppendEntry, newManifest } from '@tapelog/core';
import { temporaryDirectory, testReadmeShowsExample } from '@tapelog/test-support';
import { expect, test } from 'vitest';
import { createProvider } from '../src/index.js';

test('the README example opens, appends, seals and reads back a run', async () => {
  const baseDir = temporaryDirectory('tapelog-lmdb-readme-');
  // --- README example starts ---
  const provider = createProvider({ baseDir }); // runs live at <baseDir>/<instanceId>/<runId>.lmdb/
  const store = await provider.openRun(newManifest({ runId: '1700000000-abcd1234', instanceId: 'trader-001', startTsInit: 1_700_000_000n }));
  const draft = { headers: {}, topic: 'exec.command', payloadType: 'SubmitOrder', payload: new Uint8Array([1, 2, 3]), tsInit: 1_700_000_001n, indexKeys: [] };
  await store.appendBatch([buildAppendEntry(draft, 1, 1_700_000_002n)]); // flushed to disk before it returns
  await store.seal('Ended');
  await store.close();
  const sealed = await provider.openSealed('trader-001', '1700000000-abcd1234'); // read-only, data file checked against its seal digest
  const [entry] = await sealed.scanRange(1, 1); // decoded and hash-checked
  await sealed.close();
  // --- README example ends ---
  expect(entry?.payloadType).toBe('SubmitOrder');
  expect((await provider.listRuns('trader-001')).map((run) => run.status)).toEqual(['Ended']);
});

testReadmeShowsExample(import.meta.url);
