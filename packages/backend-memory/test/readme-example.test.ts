/** The README's example, run for real. */
import { testReadmeShowsExample } from '@tapelog/test-support';
import { expect, test } from 'vitest';

test('the README example keeps a run in memory', async () => {
  const { entry } = await import('./fixtures/readme-example.js');
  expect(entry?.seq).toBe(1);
});

testReadmeShowsExample(import.meta.url, './fixtures/readme-example.ts');
