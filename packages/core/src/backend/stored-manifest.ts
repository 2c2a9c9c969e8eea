/**
 * Decoding a run's stored manifest row for backends that checksum their rows: a checksum
 * mismatch or an undecodable record is CORRUPTED naming the run, never a plausible manifest.
 */
import { decodeManifest } from '../codec/record-codec.js';
import { corruptedError, TapelogError } from '../errors.js';
import type { RunManifest } from '../types.js';

/** The manifest in a stored row's record; `record` is undefined when the row failed its checksum. */
export function decodeStoredManifest(record: Uint8Array | undefined, location: string): RunManifest {
  if (record === undefined) throw corruptedError(`decode manifest: checksum mismatch (run file at ${location}); quarantine the run and verify it`);
  try {
    return decodeManifest(record);
  } catch (error) {
    const detail = TapelogError.isInstance(error) ? error.detail : String(error);
    throw corruptedError(`${detail} (run file at ${location})`, { cause: error });
  }
}
