/** @tapelog/backend-lmdb: the fast durable LMDB backend of tapelog, one synced LMDB environment per run. */
export { LmdbProvider, createProvider } from './provider.js';
export type { LmdbProviderHooks, LmdbProviderOptions } from './provider.js';
export { LmdbEventStore, capabilities } from './store.js';
export type { WarningSink } from './store.js';
export { DATA_FILE, LMDB_STORE_PREFIX, MANIFEST_COPY_FILE, RUN_DIRECTORY_SUFFIX, SEAL_DIGEST_FILE, instancePath, runPath } from './paths.js';
