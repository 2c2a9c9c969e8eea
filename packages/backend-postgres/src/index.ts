/** @tapelog/backend-postgres: the PostgreSQL tapelog backend, one schema for many runs from many machines. */

export type { WarningSink } from '@tapelog/core/backend';
export { isPostgresUrl, optionsFromStoreUrl, redactUrl } from './connection-url.js';
export type { PostgresProviderHooks, PostgresProviderOptions } from './provider.js';
export { closeProvider, createProvider, DEFAULT_SCHEMA, PostgresProvider } from './provider.js';
export { SCHEMA_VERSION } from './schema.js';
export { capabilities, PostgresEventStore, SCAN_PAGE_ROWS } from './store.js';
