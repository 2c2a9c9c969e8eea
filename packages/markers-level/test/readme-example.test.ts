/** The README's example, run for real: markers on LevelDB beside a run, verified read-only after close. */
import { exampleFrom, firstTypeScriptBlock, temporaryDirectory } from '@tapelog/test-support';
import { expect, test } from 'vitest';
import { recordAndVerify } from './fixtures/readme-example.js';

test('the README example records markers beside a run and verifies them clean', async () => {
  const verification = await recordAndVerify(temporaryDirectory('tapelog-markers-level-readme-'), 'trader-001', '1700000000-abcd1234');
  expect(verification).toMatchObject({ verdict: 'clean', exitCode: 0 });
  expect([verification.report?.snapshotsScanned, verification.report?.hifiScanned, verification.report?.dictEntriesScanned]).toEqual([1, 1, 1]);
});

test('the README shows that example verbatim', () => {
  expect(firstTypeScriptBlock(new URL('../README.md', import.meta.url))).toBe(exampleFrom(new URL('fixtures/readme-example.ts', import.meta.url)));
});
