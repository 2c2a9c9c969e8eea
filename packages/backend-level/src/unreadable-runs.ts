/**
 * Runs that cannot be read without bringing their reader down (a damaged table that makes
 * LevelDB abort the process). They are marked Quarantined through their manifest copy alone,
 * without opening the LevelDB: listings trust a sealed copy, so the run is reported Quarantined
 * and never retried by a recovery sweep, and its files stay as they were for an operator.
 */
import { type RunManifest, sealedManifest } from '@tapelog/core';
import { writeManifestCopy } from './manifest-copy.js';

/**
 * Writes a Quarantined manifest copy for the run at `location` from the manifest a listing
 * gave for it; returns that manifest. Nothing is known of the run's rows, so it records none.
 */
export async function markQuarantinedByCopy(location: string, listed: RunManifest): Promise<RunManifest> {
  const quarantined = sealedManifest(listed, 'Quarantined', 0, 0n, undefined);
  await writeManifestCopy(location, quarantined);
  return quarantined;
}
