/** The shared marker-store suite, run against the LevelDB marker store. */
import { join } from 'node:path';
import { runMarkerStoreConformance } from '@tapelog/conformance/marker-stores';
import type { MarkerManifest } from '@tapelog/markers';
import { temporaryDirectory } from '@tapelog/test-support';
import { describe, test } from 'vitest';
import { LevelMarkerBackend } from '../src/index.js';

describe('LevelDB marker store', () => {
  runMarkerStoreConformance({
    test,
    describe,
    open: (manifest) => LevelMarkerBackend.open(join(temporaryDirectory('tapelog-marker-conformance-'), 'run.markers.level'), manifest as MarkerManifest),
    reopen: (store) => LevelMarkerBackend.openReadOnly(store.location),
  });
});
