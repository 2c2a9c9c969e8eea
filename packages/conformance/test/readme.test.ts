import { readFileSync } from 'node:fs';
import { firstTypeScriptBlock } from '@tapelog/test-support';
import { describe, expect, test } from 'vitest';

describe('README', () => {
  test('its example is the LevelDB backend conformance test, verbatim', () => {
    const example = readFileSync(new URL('../../backend-level/test/conformance.test.ts', import.meta.url), 'utf8');
    expect(firstTypeScriptBlock(new URL('../README.md', import.meta.url))).toBe(example.trimEnd());
  });

  test("core's complete example backend is the journal backend that passes the suite here, verbatim", () => {
    const backend = readFileSync(new URL('./fixtures/journal-backend.ts', import.meta.url), 'utf8');
    expect(firstTypeScriptBlock(new URL('../../core/README.md', import.meta.url))).toBe(backend.trimEnd());
  });
});
