#!/usr/bin/env node
/**
 * Copies the source files that two READMEs show verbatim into their first `ts` block, after a
 * formatter rewrote the sources (`pnpm format` runs it). The README tests fail until they match.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
/** README → the file its first `ts` block shows verbatim (see the conformance package's readme test). */
const VERBATIM = [
  ['packages/conformance/README.md', 'packages/backend-level/test/conformance.test.ts'],
  ['packages/core/README.md', 'packages/conformance/test/fixtures/journal-backend.ts'],
];

for (const [readme, source] of VERBATIM) {
  const text = readFileSync(new URL(readme, root), 'utf8');
  const code = readFileSync(new URL(source, root), 'utf8').trimEnd();
  const block = /```ts\n[\s\S]*?\n```/;
  if (!block.test(text)) throw new Error(`${readme} has no ts block to replace`);
  writeFileSync(new URL(readme, root), text.replace(block, () => `\`\`\`ts\n${code}\n\`\`\``));
}
