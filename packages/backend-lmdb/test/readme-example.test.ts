/** The README's example, run for real against a temporary directory. */
import { rmSync } from 'node:fs';
import { testReadmeShowsExample } from '@tapelog/test-support';
import { expect, test } from 'vitest';

test('the README example opens, appends, seals and reads back a run', async () => {
  const { baseDir, entry, provider } = await import('./fixtures/readme-example.js');
  expect(entry?.payloadType).toBe('SubmitOrder');
  expect((await provider.listRuns('trader-001')).map((run) => run.status)).toEqual(['Ended']);
  rmSync(baseDir, { recursive: true, force: true });
});

testReadmeShowsExample(import.meta.url, './fixtures/readme-example.ts');
