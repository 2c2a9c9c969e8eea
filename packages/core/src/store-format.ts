/**
 * The store-format marker every persistent run carries, checked on every open before any
 * record is decoded. An unsupported format needs an operator: listings fail on it as a whole.
 */
import { TapelogError } from './errors.js';

/**
 * 2: entries are stored one row per appended batch (LevelDB). Runs of version 1 (one row per
 * entry, never released) are refused as an unsupported format.
 */
export const STORE_FORMAT_VERSION = 2;
const UNSUPPORTED_PREFIX = 'unsupported event store on-disk format version ';
const MISSING_MARKER = 'has no store-format marker: it was not written by a supported tapelog version and must be regenerated';

/**
 * Throws UNSUPPORTED_FORMAT unless `marker` is the supported store-format version: the run format by
 * default; stores with a layout of their own (the marker sidecar) pass theirs.
 */
export function checkStoreFormat(marker: number | undefined, location: string, supported: number = STORE_FORMAT_VERSION): void {
  if (marker === undefined) throw new TapelogError('UNSUPPORTED_FORMAT', `event store at ${location} ${MISSING_MARKER}`);
  if (marker !== supported) {
    throw new TapelogError('UNSUPPORTED_FORMAT', `${UNSUPPORTED_PREFIX}${marker} at ${location}; supported version is ${supported}`);
  }
}

/** True for the errors `checkStoreFormat` raises: they abort listings and recovery sweeps. */
export function isUnsupportedStoreFormat(error: unknown): boolean {
  return TapelogError.hasCode(error, 'UNSUPPORTED_FORMAT');
}
