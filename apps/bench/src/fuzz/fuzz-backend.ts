/**
 * The backend the byte-flip fuzz writes and damages: LevelDB (the default) or LMDB, each with
 * its provider and run path, so the same trials run against either.
 */
import { createProvider as createLevelProvider, runPath as levelRunPath } from '@tapelog/backend-level';
import { createProvider as createLmdbProvider, runPath as lmdbRunPath } from '@tapelog/backend-lmdb';
import type { EventStoreProvider } from '@tapelog/core';

export const FUZZ_BACKENDS = ['level', 'lmdb'] as const;
export type FuzzBackendName = (typeof FUZZ_BACKENDS)[number];

export interface FuzzBackend {
  /** A provider over `baseDir` that keeps its warnings to itself (damage is the point here). */
  provider(baseDir: string): EventStoreProvider;
  runPath(baseDir: string, instanceId: string, runId: string): string;
}

const BACKENDS: Record<FuzzBackendName, FuzzBackend> = {
  level: { provider: (baseDir) => createLevelProvider({ baseDir }, { warn: () => {} }), runPath: levelRunPath },
  lmdb: { provider: (baseDir) => createLmdbProvider({ baseDir }, { warn: () => {} }), runPath: lmdbRunPath },
};

export function fuzzBackend(name: FuzzBackendName): FuzzBackend {
  return BACKENDS[name];
}

export function isFuzzBackendName(name: string): name is FuzzBackendName {
  return (FUZZ_BACKENDS as readonly string[]).includes(name);
}
