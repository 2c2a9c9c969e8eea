/** The journal backend (the example of core's README) passes the whole suite, crash and sync audit included. */
import { describe, test } from 'vitest';
import { runConformanceInDirectories } from '../src/index.js';
import { compiledFixture } from './compiled-fixtures.js';
import { createProvider } from './fixtures/journal-backend.js';

runConformanceInDirectories({
  test,
  describe,
  createProvider,
  options: (directory) => ({ directory }),
  childModule: compiledFixture('journal-backend'),
  directoryPrefix: 'tapelog-journal-',
});
