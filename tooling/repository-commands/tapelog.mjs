#!/usr/bin/env node
/**
 * `pnpm tapelog …` from the repository root: builds the CLI and what it depends on (turbo's output
 * goes to stderr), then runs it. It is a bin rather than a root script so pnpm runs it through
 * `pnpm exec`, which prints no `> tapelog@ …` header: stdout carries only the command's output.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const build = spawnSync('turbo', ['run', 'build', '--filter=@tapelog/cli...', '--output-logs=errors-only'], {
  cwd: repositoryRoot,
  stdio: ['ignore', 2, 2],
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', PATH: `${join(repositoryRoot, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` },
});
if (build.status !== 0) {
  process.stderr.write(`tapelog: building the CLI failed (${build.error?.message ?? `exit ${build.status}`})\n`);
  process.exit(2);
}
await import(pathToFileURL(join(repositoryRoot, 'packages', 'cli', 'dist', 'bin.js')).href);
