/**
 * Runs the whole suite outside a test runner's collector and returns each failing case with its
 * message: how a backend's own tests prove that a deliberately broken variant fails the suite.
 */

import type { ConformanceOptions, ExpectFunction, TestContext } from './harness.js';
import { runConformance } from './index.js';

class Skipped extends Error {}

/** Every failing case (full name → message); `only` limits which cases run. Skipped cases do not count. */
export async function failingCases(
  options: Omit<ConformanceOptions, 'test' | 'describe'>,
  expect: ExpectFunction,
  only?: (name: string) => boolean,
): Promise<Map<string, string>> {
  const cases: Array<{ name: string; body: (context: TestContext) => Promise<void> }> = [];
  const path: string[] = [];
  runConformance({
    ...options,
    describe: (name, body) => {
      path.push(name);
      body();
      path.pop();
    },
    test: (name, body) => cases.push({ name: [...path, name].join(' > '), body }),
  });
  const failures = new Map<string, string>();
  for (const testCase of cases) {
    if (only !== undefined && !only(testCase.name)) continue;
    try {
      await testCase.body({
        expect,
        skip: () => {
          throw new Skipped();
        },
      });
    } catch (error) {
      if (!(error instanceof Skipped)) failures.set(testCase.name, (error as Error)?.message ?? String(error));
    }
  }
  return failures;
}
