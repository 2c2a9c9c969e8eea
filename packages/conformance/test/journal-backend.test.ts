/** The journal backend (the example of core's README) passes the whole suite, crash and sync audit included. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { runConformance } from '../src/index.js';
import { compiledFixture } from './compiled-fixtures.js';
import { createProvider, type JournalProvider } from './fixtures/journal-backend.js';

const childModule = compiledFixture('journal-backend');

runConformance({
  test,
  describe,
  factory: () => createProvider({ directory: mkdtempSync(join(tmpdir(), 'tapelog-journal-')) }),
  reopen: (provider) => createProvider({ directory: (provider as JournalProvider).directory }),
  childProvider: (provider) => ({
    module: childModule,
    options: { directory: (provider as JournalProvider).directory },
    directory: (provider as JournalProvider).directory,
  }),
  cleanup: (provider) => rmSync((provider as JournalProvider).directory, { recursive: true, force: true }),
});
