/**
 * Which backend a lifecycle uses: a provider for the recovery sweep, replay and inline writers,
 * and, for the worker-thread writer, the module spec that rebuilds the same provider in its thread.
 */
import { createProvider as createLevelProvider } from '@tapelog/backend-level';
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
