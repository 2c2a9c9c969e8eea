/** The README's example, run for real on LevelDB with the worker writer (the built package: the worker thread runs dist/worker.js). */
import { exampleFrom, firstTypeScriptBlock, temporaryDirectory } from '@tapelog/test-support';
import { expect, test } from 'vitest';
import type { HaltReason } from '../src/index.js';
import { writeOneRun } from './fixtures/readme-example.js';

test('the README example submits, waits for durability and seals', async () => {
  const halts: HaltReason[] = [];
  const sealed = await writeOneRun(temporaryDirectory('tapelog-writer-readme-'), (reason) => halts.push(reason));
  expect([sealed.status, sealed.highWatermark, halts.length]).toEqual(['Ended', 2, 0]);
  expect(sealed.chainHead).toMatch(/^[0-9a-f]{64}$/);
});

test('the README shows that example verbatim', () => {
  expect(firstTypeScriptBlock(new URL('../README.md', import.meta.url))).toBe(exampleFrom(new URL('fixtures/readme-example.ts', import.meta.url)));
});
