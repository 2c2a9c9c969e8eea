#!/usr/bin/env node
/**
 * Copies the code that READMEs show verbatim into their first `ts` block, after a formatter
 * rewrote the sources (`pnpm format` runs it): a package's example between the README example
 * markers in its tests, and the two whole files the conformance and core READMEs show. The README
 * tests fail until they match.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const START = '// --- README example starts ---\n';
const END = '// --- README example ends ---';
/** README → the file its first `ts` block shows whole (see the conformance package's readme test). */
const WHOLE_FILES = [
  ['packages/conformance/README.md', 'packages/backend-level/test/conformance.test.ts'],
  ['packages/core/README.md', 'packages/conformance/test/fixtures/journal-backend.ts'],
];

/** The lines between the markers with their common indentation removed (as the tests read them). */
function markedExample(source) {
  const start = source.indexOf(START);
  const end = source.indexOf(END);
  if (start < 0 || end < start) return undefined;
  const lines = source
    .slice(start + START.length, end)
    .trimEnd()
    .split('\n');
  const indent = Math.min(...lines.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length));
  return lines.map((line) => line.slice(indent)).join('\n');
}

function replaceFirstBlock(readme, code) {
  const url = new URL(readme, root);
  const text = readFileSync(url, 'utf8');
  const block = /```ts\n[\s\S]*?\n```/;
  if (!block.test(text)) throw new Error(`${readme} has no ts block to replace`);
  writeFileSync(
    url,
    text.replace(block, () => `\`\`\`ts\n${code}\n\`\`\``),
  );
}

for (const [readme, source] of WHOLE_FILES) replaceFirstBlock(readme, readFileSync(new URL(source, root), 'utf8').trimEnd());

for (const name of readdirSync(new URL('packages/', root))) {
  for (const file of [`packages/${name}/test/readme-example.test.ts`, `packages/${name}/test/fixtures/readme-example.ts`]) {
    let source;
    try {
      source = readFileSync(new URL(file, root), 'utf8');
    } catch {
      continue;
    }
    const example = markedExample(source);
    if (example !== undefined) replaceFirstBlock(`packages/${name}/README.md`, example);
  }
}
