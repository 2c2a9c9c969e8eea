/** @tapelog/backend-lmdb: the fast durable LMDB backend of tapelog, one synced LMDB environment per run. */

export type { WarningSink } from '@tapelog/core/backend';
export { DATA_FILE, instancePath, LMDB_STORE_PREFIX, MANIFEST_COPY_FILE, RUN_DIRECTORY_SUFFIX, runPath, SEAL_DIGEST_FILE } from './paths.js';
export type { LmdbProviderHooks, LmdbProviderOptions } from './provider.js';
export { createProvider, LmdbProvider } from './provider.js';
export { capabilities, LmdbEventStore } from './store.js';
