/**
 * Test helper that keeps README examples honest: the example lives in a test file between two
 * marker comments, runs with the tests, and must appear verbatim as the README's first `ts` block.
 */
import { readFileSync, rmSync } from 'node:fs';
import { expect, test } from 'vitest';

const START = '// --- README example starts ---\n';
const END = '// --- README example ends ---';

/** The example between the markers of `testFile`, with its common indentation removed. */
export function exampleFrom(testFile: URL): string {
  const source = readFileSync(testFile, 'utf8');
  const start = source.indexOf(START);
  const end = source.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${testFile.pathname} has no README example markers`);
  const lines = source
    .slice(start + START.length, end)
    .trimEnd()
    .split('\n');
  const indent = Math.min(...lines.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length));
  return lines.map((line) => line.slice(indent)).join('\n');
}

/** The first fenced `ts` block of `readmeFile`. */
export function firstTypeScriptBlock(readmeFile: URL): string | undefined {
  return /```ts\n([\s\S]*?)\n```/.exec(readFileSync(readmeFile, 'utf8'))?.[1];
}

/**
 * Registers the test that the README of `testFile`'s package (`../README.md`) shows verbatim the
 * example of `exampleFile` (a path relative to `testFile`; `testFile` itself when left out).
 */
export function testReadmeShowsExample(testFile: string | URL, exampleFile?: string): void {
  test('the README shows that example verbatim', () => {
    const example = exampleFile === undefined ? new URL(testFile) : new URL(exampleFile, testFile);
    expect(firstTypeScriptBlock(new URL('../README.md', testFile))).toBe(exampleFrom(example));
  });
}

/** What a durable backend's README example module exports for its test to check. */
export interface StoreReadmeExample {
  baseDir: string;
  entry?: { payloadType: string };
  provider: { listRuns(instanceId: string): Promise<ReadonlyArray<{ status: string }>> };
}

/**
 * Registers the tests of a durable backend's README example (the module `load` imports, whose
 * source is `exampleFile` relative to `testFile`): it runs for real, reads back what it wrote
 * and leaves a sealed run, and the README shows it verbatim.
 */
export function testStoreReadmeExample(testFile: string | URL, exampleFile: string, load: () => Promise<StoreReadmeExample>): void {
  test('the README example opens, appends, seals and reads back a run', async () => {
    const { baseDir, entry, provider } = await load();
    expect(entry?.payloadType).toBe('SubmitOrder');
    expect((await provider.listRuns('trader-001')).map((run) => run.status)).toEqual(['Ended']);
    rmSync(baseDir, { recursive: true, force: true });
  });
  testReadmeShowsExample(testFile, exampleFile);
}
