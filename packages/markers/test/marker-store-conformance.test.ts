/** The shared marker-store suite, run against the memory and LevelDB marker stores. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMarkerStoreConformance } from '@tapelog/conformance/marker-stores';
import { describe, test } from 'vitest';
import { LevelMarkerBackend } from '../src/level-backend.js';
import { MemoryMarkerBackend } from '../src/memory-backend.js';
import type { MarkerManifest } from '../src/model.js';

describe('memory marker store', () => {
  runMarkerStoreConformance({
    test,
    describe,
    open: async (manifest) => {
      const backend = new MemoryMarkerBackend();
      backend.openRun(manifest as MarkerManifest);
      return backend;
    },
  });
});

describe('LevelDB marker store', () => {
  runMarkerStoreConformance({
    test,
    describe,
    open: (manifest) =>
      LevelMarkerBackend.open(join(mkdtempSync(join(tmpdir(), 'tapelog-marker-conformance-')), 'run.markers.level'), manifest as MarkerManifest),
    reopen: (store) => LevelMarkerBackend.openReadOnly(store.location),
    cleanup: (store) => rmSync(join(store.location, '..'), { recursive: true, force: true }),
  });
});
