/** The shared backend conformance suite, run against the level backend: one fresh base directory per provider. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConformance } from '@tapelog/conformance';
import { describe, test } from 'vitest';
import { createProvider, type LevelProvider } from '../src/index.js';

runConformance({
  test,
  describe,
  factory: () => createProvider({ baseDir: mkdtempSync(join(tmpdir(), 'tapelog-level-conformance-')) }),
  // A restarted process: a new provider over the same directory.
  reopen: (provider) => createProvider({ baseDir: (provider as LevelProvider).baseDir }),
  // The crash and sync-audit areas open the built package in a child process.
  childProvider: (provider) => ({
    module: new URL('../dist/index.js', import.meta.url).href,
    options: { baseDir: (provider as LevelProvider).baseDir },
    directory: (provider as LevelProvider).baseDir,
  }),
  cleanup: (provider) => rmSync((provider as LevelProvider).baseDir, { recursive: true, force: true }),
});
