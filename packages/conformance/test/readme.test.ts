import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

const read = (relative: string) => readFileSync(new URL(relative, import.meta.url), 'utf8');

describe('README', () => {
  test('its example is the LevelDB backend conformance test, verbatim', () => {
    const readme = read('../README.md');
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    expect(block).toBe(read('../../backend-level/test/conformance.test.ts'));
  });
});
