/**
 * The integrity hashes of the four durable marker record kinds, byte-compatible with the
 * upstream layouts (BLAKE3, domain-separated, big-endian). The hash is stored beside a record,
 * never inside it, and the verifier recomputes it.
 */

import { domainBytes, HashInput } from './hash-input.js';
import type { DataCursorSnapshot, HiFiMarker, MarkerGap, StreamDictEntry } from './model.js';
import { MARKER_GAP_REASONS } from './model.js';

export const MARKER_HASH_DOMAIN = 'nautilus-event-store/marker/v1';
export const HIFI_HASH_DOMAIN = 'nautilus-event-store/hifi/v1';
export const DICT_HASH_DOMAIN = 'nautilus-event-store/dict/v1';
export const GAP_HASH_DOMAIN = 'nautilus-event-store/gap/v1';

const MARKER_DOMAIN = domainBytes(MARKER_HASH_DOMAIN);
const HIFI_DOMAIN = domainBytes(HIFI_HASH_DOMAIN);
const DICT_DOMAIN = domainBytes(DICT_HASH_DOMAIN);
const GAP_DOMAIN = domainBytes(GAP_HASH_DOMAIN);
const FINGERPRINT_LENGTH = 32;

const input = new HashInput();

/** Snapshot hash: domain ‖ BE64 seq ‖ BE64 esb ‖ BE64 tsInit ‖ BE64 n ‖ n × (BE32 slot ‖ BE64 hi ‖ BE64 count). */
export function computeMarkerHash(snapshot: DataCursorSnapshot): Uint8Array {
  input.reset().raw(MARKER_DOMAIN).u64(snapshot.markerSeq).u64(snapshot.eventSeqBefore).u64Big(snapshot.tsInit).u64(snapshot.advanced.length);
  for (const cursor of snapshot.advanced) input.u32(cursor.slot).u64Big(cursor.tsInitHi).u64(cursor.count);
  return input.digest();
}

/** High-fidelity hash: always a 100-byte input. */
export function computeHiFiHash(marker: HiFiMarker): Uint8Array {
  if (marker.recordFingerprint.length !== FINGERPRINT_LENGTH) {
    throw new RangeError(`a record fingerprint is ${FINGERPRINT_LENGTH} bytes, got ${marker.recordFingerprint.length}`);
  }
  return input
    .reset()
    .raw(HIFI_DOMAIN)
    .u64(marker.markerSeq)
    .u64(marker.eventSeqBefore)
    .u32(marker.slot)
    .u64Big(marker.tsEvent)
    .u64Big(marker.tsInit)
    .u32(marker.sameTsOrdinal)
    .raw(marker.recordFingerprint)
    .digest();
}

/** Dictionary hash: the class is hashed by its canonical name, not its index. */
export function computeDictHash(entry: StreamDictEntry): Uint8Array {
  return input.reset().raw(DICT_DOMAIN).u32(entry.slot).lengthPrefixedString(entry.dataClass).lengthPrefixedString(entry.identifier).digest();
}

/** Gap hash: domain ‖ BE64 from ‖ BE64 to ‖ U8 reason (Overflow 0, WriterClosed 1). */
export function computeGapHash(gap: MarkerGap): Uint8Array {
  const reason = MARKER_GAP_REASONS.indexOf(gap.reason);
  if (reason < 0) throw new RangeError(`unknown marker gap reason ${String(gap.reason)}`);
  return input.reset().raw(GAP_DOMAIN).u64(gap.fromMarkerSeq).u64(gap.toMarkerSeq).u8(reason).digest();
}
