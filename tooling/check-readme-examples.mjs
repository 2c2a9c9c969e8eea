#!/usr/bin/env node
/**
 * Type-checks every `ts` block of every package README as a standalone module: each block is
 * written to a file inside its package (so it imports the package by name, as a user would, and
 * the package's dependencies) and compiled with the repository's settings. A block with a free
 * name or an import of a file that does not ship fails. Run after a build (`pnpm test` does).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const CHECK_DIRECTORY = '.readme-check';
/**
 * READMEs whose examples still use names their test declares outside the shown region (or, for
 * conformance, show a file importing `../src`): listed on every run until each example becomes a
 * whole module (`test/fixtures/readme-example.ts`, as markers and backend-memory do).
 */
const NOT_YET_STANDALONE = new Set(['backend-level', 'backend-lmdb', 'backend-postgres', 'conformance', 'core']);
const files = [];
const directories = [];

for (const name of readdirSync(join(root, 'packages'))) {
  let readme;
  try {
    readme = readFileSync(join(root, 'packages', name, 'README.md'), 'utf8');
  } catch {
    continue;
  }
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)\n```/g)].map((match) => match[1]);
  if (blocks.length === 0) continue;
  if (NOT_YET_STANDALONE.has(name)) {
    console.error(`packages/${name}/README.md: examples not yet checked as standalone modules`);
    continue;
  }
  const directory = join(root, 'packages', name, CHECK_DIRECTORY);
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory);
  directories.push(directory);
  blocks.forEach((block, index) => {
    const file = join(directory, `block-${index + 1}.ts`);
    // `export {}` keeps a block without imports a module, as it is in a user's project.
    writeFileSync(file, `${block}\nexport {};\n`);
    files.push(file);
  });
}

const tsconfig = join(root, CHECK_DIRECTORY, 'tsconfig.json');
mkdirSync(join(root, CHECK_DIRECTORY), { recursive: true });
directories.push(join(root, CHECK_DIRECTORY));
writeFileSync(tsconfig, JSON.stringify({ extends: '../tsconfig.base.json', compilerOptions: { noEmit: true, noUnusedLocals: false }, files }, null, 2));
let failed = false;
try {
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', tsconfig], { stdio: 'inherit' });
} catch {
  failed = true;
} finally {
  if (!process.argv.includes('--keep')) for (const directory of directories) rmSync(directory, { recursive: true, force: true });
}
if (failed) {
  console.error('README examples do not compile on their own (blocks are packages/<name>/.readme-check/block-<n>.ts; --keep leaves them)');
  process.exit(1);
}
console.error(`${files.length} README examples compile on their own`);
