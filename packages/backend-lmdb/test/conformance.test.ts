/** The shared backend conformance suite, run against the LMDB backend: one fresh base directory per provider. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConformance } from '@tapelog/conformance';
import { describe, test } from 'vitest';
import { createProvider, type LmdbProvider } from '../src/index.js';

runConformance({
  test,
  describe,
  factory: () => createProvider({ baseDir: mkdtempSync(join(tmpdir(), 'tapelog-lmdb-conformance-')) }),
  // A restarted process: a new provider over the same directory.
  reopen: (provider) => createProvider({ baseDir: (provider as LmdbProvider).baseDir }),
  // The crash and sync-audit areas open the built package in a child process.
  childProvider: (provider) => ({
    module: new URL('../dist/index.js', import.meta.url).href,
    options: { baseDir: (provider as LmdbProvider).baseDir },
    directory: (provider as LmdbProvider).baseDir,
  }),
  cleanup: (provider) => rmSync((provider as LmdbProvider).baseDir, { recursive: true, force: true }),
});
