/** Runs the whole suite outside vitest's collector and returns each failing case with its message. */
import type { EventStoreProvider } from '@tapelog/core';
import { expect } from 'vitest';
import { runConformance, type ConformanceOptions, type TestContext } from '../src/index.js';

class Skipped extends Error {}

export async function failingCases(options: Omit<ConformanceOptions, 'test' | 'describe'>, only?: (name: string) => boolean): Promise<Map<string, string>> {
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
        expect: expect as unknown as TestContext['expect'],
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

export type ProviderWithDirectory = EventStoreProvider & { directory: string };
