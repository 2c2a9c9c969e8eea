/**
 * Which backend a lifecycle uses: a provider for the recovery sweep, replay and inline writers,
 * and, for the worker-thread writer, the module spec that rebuilds the same provider in its thread.
 */
import { createProvider as createLevelProvider } from '@tapelog/backend-level';
import { createProvider as createPostgresProvider, isPostgresUrl, optionsFromStoreUrl, type PostgresProviderOptions } from '@tapelog/backend-postgres';
import type { EventStoreProvider } from '@tapelog/core';
import type { BackendModuleSpec } from '@tapelog/writer';
import type { EventStoreConfig } from './config.js';

export interface BackendChoice {
  provider: EventStoreProvider;
  /** Required for the worker writer; absent means the run is written inline. */
  module?: BackendModuleSpec;
}

export type BackendOpener = (config: EventStoreConfig) => BackendChoice;

/** LevelDB under `config.baseDir`, rebuilt in the writer's worker by absolute module URL. */
export const levelBackend: BackendOpener = (config) => ({
  provider: createLevelProvider({ baseDir: config.baseDir }),
  module: { module: import.meta.resolve('@tapelog/backend-level'), options: { baseDir: config.baseDir } },
});

/**
 * PostgreSQL at `options.connectionString` (schema `options.schema`), rebuilt in the writer's
 * worker from the same plain options. `config.baseDir` still holds local sidecars (markers).
 */
export function postgresBackend(options: PostgresProviderOptions): BackendOpener {
  return () => ({
    provider: createPostgresProvider(options),
    module: { module: import.meta.resolve('@tapelog/backend-postgres'), options: { ...options } },
  });
}

/**
 * The backend a store argument names: a `postgres://…/db[?schema=s]` URL is PostgreSQL, anything
 * else means the LevelDB directory of `config.baseDir`.
 */
export function backendForStore(store: string): BackendOpener {
  return isPostgresUrl(store) ? postgresBackend(optionsFromStoreUrl(store)) : levelBackend;
}
