/** The README's example, run for real. */
import { exampleFrom, firstTypeScriptBlock } from '@tapelog/test-support';
import { expect, test } from 'vitest';

test('the README example keeps a run in memory', async () => {
  const { entry } = await import('./fixtures/readme-example.js');
  expect(entry?.seq).toBe(1);
});

test('the README shows that example verbatim', () => {
  expect(firstTypeScriptBlock(new URL('../README.md', import.meta.url))).toBe(exampleFrom(new URL('fixtures/readme-example.ts', import.meta.url)));
});
