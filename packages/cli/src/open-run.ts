/** Opens the run a command names by its directory, read-only, through the LevelDB provider. */
import { createProvider } from '@tapelog/backend-level';
import type { EventStore } from '@tapelog/core';
import { parseRunPath, type RunCoordinates } from './run-path.js';

export function levelProvider(baseDir: string) {
  return createProvider({ baseDir }, { warn: (message) => process.stderr.write(`warning: ${message}\n`) });
}

/** Only sealed runs open: a `Running` run may have a live writer (run the recovery sweep first). */
export async function openSealedRunAt(path: string): Promise<{ coordinates: RunCoordinates; store: EventStore }> {
  const coordinates = parseRunPath(path);
  const store = await levelProvider(coordinates.baseDir).openSealed(coordinates.instanceId, coordinates.runId);
  return { coordinates, store };
}
