/** @tapelog/backend-level: the durable LevelDB backend of tapelog, one synced LevelDB per run. */

export type { WarningSink } from '@tapelog/core/backend';
export type { IncompleteRun } from './incomplete-runs.js';
export { INCOMPLETE_RUN_SUFFIX } from './incomplete-runs.js';
export { instancePath, MANIFEST_COPY_FILE, MARKERS_DIRECTORY_SUFFIX, markersPath, RUN_DIRECTORY_SUFFIX, runPath } from './paths.js';
export type { LevelProviderHooks, LevelProviderOptions } from './provider.js';
export { createProvider, LevelProvider } from './provider.js';
export { copyRunFiles } from './run-copy.js';
export { capabilities, LevelEventStore } from './store.js';
export { damageEntryTableKeys } from './table-damage.js';
