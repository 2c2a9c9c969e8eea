/**
 * Which backend a lifecycle uses: a provider for the recovery sweep, replay and inline writers,
 * and, for the worker-thread writer, the module spec that rebuilds the same provider in its thread.
 * Each backend package is an optional peer, imported only when a run uses it.
 */
import type { PostgresProviderOptions } from '@tapelog/backend-postgres';
import type { EventStoreProvider } from '@tapelog/core';
import type { BackendModuleSpec } from '@tapelog/writer';
import type { EventStoreConfig } from './config.js';
import { loadOptionalPackage, type PackageLoader } from './optional-package.js';

export interface BackendChoice {
  provider: EventStoreProvider;
  /** Required for the worker writer; absent means the run is written inline. */
  module?: BackendModuleSpec;
}

export type BackendOpener = (config: EventStoreConfig) => BackendChoice | Promise<BackendChoice>;

/** The `lmdb:` prefix of a store argument (as `@tapelog/backend-lmdb` defines it). */
const LMDB_STORE_PREFIX = 'lmdb:';

type LevelModule = typeof import('@tapelog/backend-level');

/** LevelDB under `config.baseDir`, loaded by `load` (tests pass a failing one). */
export function levelBackendFrom(load: PackageLoader<LevelModule>): BackendOpener {
  return async (config) => {
    const level = await loadOptionalPackage('@tapelog/backend-level', 'the LevelDB backend', load);
    return {
      provider: level.createProvider({ baseDir: config.baseDir }),
      module: { module: import.meta.resolve('@tapelog/backend-level'), options: { baseDir: config.baseDir } },
    };
  };
}

/** LevelDB under `config.baseDir`, rebuilt in the writer's worker by absolute module URL. */
export const levelBackend: BackendOpener = levelBackendFrom(() => import('@tapelog/backend-level'));

/**
 * LMDB under `baseDir` (one environment per run, `<baseDir>/<instanceId>/<runId>.lmdb/`), rebuilt
 * in the writer's worker by absolute module URL: the backend to pick for write speed.
 */
export function lmdbBackend(baseDir: string): BackendOpener {
  return async () => {
    const lmdb = await loadOptionalPackage('@tapelog/backend-lmdb', 'the LMDB backend', () => import('@tapelog/backend-lmdb'));
    return {
      provider: lmdb.createProvider({ baseDir }),
      module: { module: import.meta.resolve('@tapelog/backend-lmdb'), options: { baseDir } },
    };
  };
}

/**
 * PostgreSQL at `options.connectionString` (schema `options.schema`), rebuilt in the writer's
 * worker from the same plain options. `config.baseDir` still holds local sidecars (markers).
 */
export function postgresBackend(options: PostgresProviderOptions): BackendOpener {
  return async () => {
    const postgres = await loadOptionalPackage('@tapelog/backend-postgres', 'the PostgreSQL backend', () => import('@tapelog/backend-postgres'));
    return {
      provider: postgres.createProvider(options),
      module: { module: import.meta.resolve('@tapelog/backend-postgres'), options: { ...options } },
    };
  };
}

/** A `postgres://` or `postgresql://` URL (as `@tapelog/backend-postgres` reads one). */
function isPostgresUrl(store: string): boolean {
  return /^postgres(ql)?:\/\//i.test(store);
}

/**
 * The backend a store argument names: a `postgres://…/db[?schema=s]` URL is PostgreSQL,
 * `lmdb:<dir>` is LMDB under `<dir>`, anything else means the LevelDB directory of `config.baseDir`.
 */
export function backendForStore(store: string): BackendOpener {
  if (isPostgresUrl(store)) {
    return async (config) => {
      const postgres = await loadOptionalPackage('@tapelog/backend-postgres', 'the PostgreSQL backend', () => import('@tapelog/backend-postgres'));
      return postgresBackend(postgres.optionsFromStoreUrl(store))(config);
    };
  }
  if (store.startsWith(LMDB_STORE_PREFIX)) return lmdbBackend(store.slice(LMDB_STORE_PREFIX.length));
  return levelBackend;
}
