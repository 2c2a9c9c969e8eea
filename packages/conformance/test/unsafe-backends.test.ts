/**
 * The suite catches unsafe backends: each unsafe variant of the journal backend fails the case
 * that pins its rule, and the failure names the rule and where it is documented.
 */
import { describe, expect, test } from 'vitest';
import { straceUnavailable } from '../src/child/spawn-child.js';
import { directoryProviderOptions, type ExpectFunction, failingCases, RULES_DOCUMENT } from '../src/index.js';
import { compiledFixture } from './compiled-fixtures.js';
import { createProvider, type UnsafeVariant } from './fixtures/unsafe-backends.js';

const childModule = compiledFixture('unsafe-backends');

function suiteOptions(variant: UnsafeVariant) {
  return directoryProviderOptions({
    createProvider,
    options: (directory) => ({ directory, variant }),
    childModule,
    directoryPrefix: `tapelog-unsafe-${variant}-`,
  });
}

/** Asserts that `variant` fails the case whose name contains `caseName`, naming its rule section. */
async function expectCaught(variant: UnsafeVariant, area: string, caseName: string, section: string): Promise<void> {
  const failures = await failingCases(suiteOptions(variant), expect as unknown as ExpectFunction, (name) => name.includes(`> ${area} >`));
  const failed = [...failures].find(([name]) => name.includes(caseName));
  expect(failed, `the ${variant} backend passed "${caseName}"; failures: ${[...failures.keys()].join('; ')}`).toBeDefined();
  const message = failed![1];
  expect(message).toContain(`rule broken: ${failed![0].split(' > ').at(-1)}`);
  expect(message).toContain(`${RULES_DOCUMENT} › '${section}'`);
}

describe('the suite catches unsafe backends', () => {
  test('a high-watermark that moves before the commit is durable fails the failed-commit area', async () => {
    await expectCaught('early-high-watermark', 'failed commit', 'a commit that fails acknowledges nothing', 'Failed commits');
  }, 120_000);

  test('a write-behind backend that acknowledges from memory and commits on close fails the crash area', async () => {
    await expectCaught('write-behind', 'crash', 'every append acknowledged before a SIGKILL', 'Crash consistency');
  }, 120_000);

  test.skipIf(straceUnavailable() !== undefined)(
    'a backend that never syncs fails the sync audit',
    async () => {
      await expectCaught('no-sync', 'sync audit', 'every acknowledged append was preceded by a sync', 'Syncing');
    },
    120_000,
  );
});
