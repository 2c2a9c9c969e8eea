/** The shared backend conformance suite, run against the LMDB backend: one fresh base directory per provider. */
import { runConformanceInDirectories } from '@tapelog/conformance';
import { describe, test } from 'vitest';
import { createProvider } from '../src/index.js';

runConformanceInDirectories({
  test,
  describe,
  createProvider,
  options: (baseDir) => ({ baseDir }),
  // The crash and sync-audit areas open the built package in a child process.
  childModule: new URL('../dist/index.js', import.meta.url).href,
  directoryPrefix: 'tapelog-lmdb-conformance-',
});
