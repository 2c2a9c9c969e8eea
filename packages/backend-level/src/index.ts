/** @tapelog/backend-level: the durable LevelDB backend of tapelog, one synced LevelDB per run. */
export { LevelProvider, createProvider } from './provider.js';
export type { LevelProviderHooks, LevelProviderOptions } from './provider.js';
export { LevelEventStore, capabilities } from './store.js';
export type { WarningSink } from './store.js';
export { INCOMPLETE_RUN_SUFFIX } from './incomplete-runs.js';
export type { IncompleteRun } from './incomplete-runs.js';
export { damageEntryTableKeys } from './table-damage.js';
export { MANIFEST_COPY_FILE, MARKERS_DIRECTORY_SUFFIX, RUN_DIRECTORY_SUFFIX, instancePath, markersPath, runPath } from './paths.js';
