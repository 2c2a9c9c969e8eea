/** Opens the run a command names by its directory or PostgreSQL URL, read-only, through its provider. */
import { createProvider } from '@tapelog/backend-level';
import type { EventStore, EventStoreProvider } from '@tapelog/core';
import { parseRunPath, type RunCoordinates } from './run-path.js';
import { isPostgresUrl, parsePostgresStore, postgresProvider } from './store-url.js';

export function levelProvider(baseDir: string) {
  return createProvider({ baseDir }, { warn: (message) => process.stderr.write(`warning: ${message}\n`) });
}

/** The provider of a store argument: a PostgreSQL URL, or else a LevelDB base directory. */
export async function storeProvider(store: string): Promise<EventStoreProvider> {
  return isPostgresUrl(store) ? postgresProvider(parsePostgresStore(store)) : levelProvider(store);
}

/** A store argument as it may be shown: PostgreSQL URLs lose their password. */
export function displayStore(store: string): string {
  return isPostgresUrl(store) ? parsePostgresStore(store).display : store;
}

/** Only sealed runs open: a `Running` run may have a live writer (run the recovery sweep first). */
export async function openSealedRunAt(path: string): Promise<{ coordinates: RunCoordinates; store: EventStore }> {
  const coordinates = parseRunPath(path);
  const store = await (await storeProvider(coordinates.baseDir)).openSealed(coordinates.instanceId, coordinates.runId);
  return { coordinates, store };
}
