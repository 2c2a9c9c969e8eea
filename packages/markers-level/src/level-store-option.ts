/**
 * The LevelDB marker store as a sidecar option and as `tapelog markers verify` opens it: the
 * store of a run lives at `markersPath(baseDir, instanceId, runId)`, beside its LevelDB entry store.
 */
import { markersPath } from '@tapelog/backend-level';
import type { MarkerStoreOption, MarkerStoreVerification, VerifyMarkersOptions } from '@tapelog/markers';
import { verifyMarkerStoreWith } from '@tapelog/markers/store';
import { LevelMarkerBackend } from './level-backend.js';

/** Marker rows in `<baseDir>/<instanceId>/<runId>.markers.level`, for `openMarkerSidecar`'s `store`. */
export function levelMarkerStore(baseDir: string, instanceId: string): Extract<MarkerStoreOption, { kind: 'custom' }> {
  markersPath(baseDir, instanceId, 'run'); // rejects an unsafe instance id now, not at the first run
  return { kind: 'custom', open: (manifest) => LevelMarkerBackend.open(markersPath(baseDir, instanceId, manifest.runId), manifest) };
}

/** Verifies the LevelDB marker store at `path` without sealing, recovering or writing it. */
export function verifyMarkerStore(path: string, options: VerifyMarkersOptions = {}): Promise<MarkerStoreVerification> {
  return verifyMarkerStoreWith(path, (location) => LevelMarkerBackend.openReadOnly(location), options);
}
