/**
 * @tapelog/markers-level: the LevelDB store of the market-data marker sidecar, one synced LevelDB
 * per run beside the run's entry store, and the read-only verification `tapelog markers verify` runs.
 */

export { MARKERS_DIRECTORY_SUFFIX, markersPath } from '@tapelog/backend-level';
export { LevelMarkerBackend } from './level-backend.js';
export { levelMarkerStore, verifyMarkerStore } from './level-store-option.js';
