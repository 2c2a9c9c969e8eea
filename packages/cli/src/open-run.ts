/** Opens the run a command names by its directory or PostgreSQL URL, read-only, through its provider. */
import { createProvider } from '@tapelog/backend-level';
import type { EventStore, EventStoreProvider } from '@tapelog/core';
import { parseRunPath, type RunCoordinates, storeOfRun } from './run-path.js';
import { lmdbBaseDirOf } from './store-layout.js';
import { isPostgresUrl, parsePostgresStore, postgresProvider } from './store-url.js';

export function levelProvider(baseDir: string) {
  return createProvider({ baseDir }, { warn: (message) => process.stderr.write(`warning: ${message}\n`) });
}

/** The LMDB provider of a base directory; its module (and the native binding) loads only when an LMDB store is used. */
export async function lmdbProvider(baseDir: string): Promise<EventStoreProvider> {
  const { createProvider: createLmdbProvider } = await import('@tapelog/backend-lmdb');
  return createLmdbProvider({ baseDir }, { warn: (message) => process.stderr.write(`warning: ${message}\n`) });
}

/**
 * The provider of a store argument: a PostgreSQL URL, `lmdb:<dir>` or a directory holding only
 * LMDB runs (LMDB), or else a LevelDB base directory.
 */
export async function storeProvider(store: string): Promise<EventStoreProvider> {
  if (isPostgresUrl(store)) return postgresProvider(parsePostgresStore(store));
  const lmdbBaseDir = lmdbBaseDirOf(store);
  return lmdbBaseDir === undefined ? levelProvider(store) : lmdbProvider(lmdbBaseDir);
}

/** A store argument as it may be shown: PostgreSQL URLs lose their password. */
export function displayStore(store: string): string {
  return isPostgresUrl(store) ? parsePostgresStore(store).display : store;
}

/** Only sealed runs open: a `Running` run may have a live writer (run the recovery sweep first). */
export async function openSealedRunAt(path: string): Promise<{ coordinates: RunCoordinates; store: EventStore }> {
  const coordinates = parseRunPath(path);
  const store = await (await storeProvider(storeOfRun(coordinates))).openSealed(coordinates.instanceId, coordinates.runId);
  return { coordinates, store };
}
