/** The shared marker-store suite, run against the memory marker store (the LevelDB one runs it in @tapelog/markers-level). */
import { runMarkerStoreConformance } from '@tapelog/conformance/marker-stores';
import { describe, test } from 'vitest';
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
