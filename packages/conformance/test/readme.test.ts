import { readFileSync } from 'node:fs';
import { firstTypeScriptBlock } from '@tapelog/test-support';
import { describe, expect, test } from 'vitest';

describe('README', () => {
  test("its example is the LevelDB backend's conformance test, importing the package by name", () => {
    const levelTest = readFileSync(new URL('../../backend-level/test/conformance.test.ts', import.meta.url), 'utf8');
    const asPublished = levelTest
      .replace("import { createProvider } from '../src/index.js';\n", '')
      .replace('import { runConformanceInDirectories }', "import { createProvider } from '@tapelog/backend-level';\nimport { runConformanceInDirectories }")
      .replace("new URL('../dist/index.js', import.meta.url).href", "import.meta.resolve('@tapelog/backend-level')");
    expect(asPublished).not.toMatch(/\.\.\/(src|dist)\//);
    expect(firstTypeScriptBlock(new URL('../README.md', import.meta.url))).toBe(asPublished.trimEnd());
  });

  test("core's complete example backend is the journal backend that passes the suite here, verbatim", () => {
    const backend = readFileSync(new URL('./fixtures/journal-backend.ts', import.meta.url), 'utf8');
    expect(firstTypeScriptBlock(new URL('../../core/README.md', import.meta.url))).toBe(backend.trimEnd());
  });
});
