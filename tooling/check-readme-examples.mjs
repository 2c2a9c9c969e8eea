#!/usr/bin/env node
/**
 * Type-checks every `ts` block of every package README as a standalone module: each block is
 * written to a file inside its package (so it imports the package by name, as a user would, and
 * the package's dependencies; see COMPILED_IN for the one README compiled elsewhere) and compiled with the repository's settings. A block with a free
 * name or an import of a file that does not ship fails. Run after a build (`pnpm test` does).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const CHECK_DIRECTORY = '.readme-check';
/**
 * READMEs whose examples are compiled where their user stands rather than in their own package:
 * the conformance suite's example is a backend package's test, so it is compiled inside a
 * backend package that has the suite as a dev dependency.
 */
const COMPILED_IN = { conformance: 'backend-level' };
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
  const directory = join(root, 'packages', COMPILED_IN[name] ?? name, CHECK_DIRECTORY, name);
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  directories.push(dirname(directory));
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
  console.error('README examples do not compile on their own (blocks are packages/<package>/.readme-check/<readme>/block-<n>.ts; --keep leaves them)');
  process.exit(1);
}
console.error(`${files.length} README examples compile on their own`);
