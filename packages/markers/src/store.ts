/**
 * @tapelog/markers/store: the API for authors of marker stores and of custom marker wiring, kept
 * apart from what an application uses: the store contract, the row codecs and hashes, and the
 * writer and capture building blocks the sidecar is made of.
 */

export type { DataMarkerCaptureOptions, MarkerCaptureLogger } from './capture.js';
export { DataMarkerCapture, DEFAULT_SAFETY_FLUSH_INTERVAL_NS, LANE_FAILED_MESSAGE } from './capture.js';
export type { SlotCursor } from './cursor-state.js';
export { CursorState } from './cursor-state.js';
export type { MarkerBackend, MarkerWrite } from './marker-backend.js';
export { COUNT_FIELD, SEAL_RUNNING_MESSAGE, SingleRowWrites } from './marker-backend.js';
export type { MarkerSink, MarkerWriterConfig, MarkerWriterHooks, SubmitOutcome } from './marker-writer.js';
export {
  DEFAULT_MARKER_CHANNEL_CAPACITY,
  DEFAULT_MARKER_MAX_BATCH,
  DEFAULT_MARKER_MAX_LATENCY_MS,
  MarkerWriter,
} from './marker-writer.js';
export {
  decodeMarkerManifest,
  decodeStoredDict,
  decodeStoredGap,
  decodeStoredHiFi,
  decodeStoredSnapshot,
  encodeMarkerManifest,
  encodeStoredDict,
  encodeStoredGap,
  encodeStoredHiFi,
  encodeStoredSnapshot,
} from './record-codec.js';
export {
  computeDictHash,
  computeGapHash,
  computeHiFiHash,
  computeMarkerHash,
  DICT_HASH_DOMAIN,
  GAP_HASH_DOMAIN,
  HIFI_HASH_DOMAIN,
  MARKER_HASH_DOMAIN,
} from './record-hash.js';
export { verifyMarkerStoreWith } from './verify-store.js';
