/** The README's example, run for real: a kernel's Quote class, the sidecar on a memory store, verified after close. */
import { exampleFrom, firstTypeScriptBlock } from '@tapelog/test-support';
import { expect, test } from 'vitest';
import { recordOneRun } from './fixtures/readme-example.js';

test('the README example records markers for a run and verifies them', async () => {
  const { closed, report } = await recordOneRun('1700000000-abcd1234');
  expect(closed?.manifest?.status).toBe('Ended');
  expect(report.findings).toEqual([]);
  expect([report.snapshotsScanned, report.hifiScanned, report.dictEntriesScanned]).toEqual([1, 1, 1]);
});

test('the README shows that example verbatim', () => {
  expect(firstTypeScriptBlock(new URL('../README.md', import.meta.url))).toBe(exampleFrom(new URL('fixtures/readme-example.ts', import.meta.url)));
});
