/**
 * Which backend a lifecycle uses: a provider for the recovery sweep, replay and inline writers,
 * and, for the worker-thread writer, the module spec that rebuilds the same provider in its thread.
 */
import { createProvider as createLevelProvider } from '@tapelog/backend-level';
import { createProvider as createLmdbProvider, LMDB_STORE_PREFIX } from '@tapelog/backend-lmdb';
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
 * LMDB under `baseDir` (one environment per run, `<baseDir>/<instanceId>/<runId>.lmdb/`), rebuilt
 * in the writer's worker by absolute module URL: the backend to pick for write speed.
 */
export function lmdbBackend(baseDir: string): BackendOpener {
  return () => ({
    provider: createLmdbProvider({ baseDir }),
    module: { module: import.meta.resolve('@tapelog/backend-lmdb'), options: { baseDir } },
  });
}

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
 * The backend a store argument names: a `postgres://…/db[?schema=s]` URL is PostgreSQL,
 * `lmdb:<dir>` is LMDB under `<dir>`, anything else means the LevelDB directory of `config.baseDir`.
 */
export function backendForStore(store: string): BackendOpener {
  if (isPostgresUrl(store)) return postgresBackend(optionsFromStoreUrl(store));
  if (store.startsWith(LMDB_STORE_PREFIX)) return lmdbBackend(store.slice(LMDB_STORE_PREFIX.length));
  return levelBackend;
}
