/** @tapelog/backend-postgres: the PostgreSQL tapelog backend, one schema for many runs from many machines. */
export { DEFAULT_SCHEMA, PostgresProvider, closeProvider, createProvider } from './provider.js';
export type { PostgresProviderHooks, PostgresProviderOptions, WarningSink } from './provider.js';
export { PostgresEventStore, SCAN_PAGE_ROWS, capabilities } from './store.js';
export { SCHEMA_VERSION } from './schema.js';
export { isPostgresUrl, optionsFromStoreUrl, redactUrl } from './connection-url.js';
