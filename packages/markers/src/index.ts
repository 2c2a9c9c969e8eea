/**
 * @tapelog/markers: the market-data delivery marker sidecar of a tapelog run, as an application
 * uses it. Store authors and custom wiring find the store contract, codecs and building blocks in
 * `@tapelog/markers/store`; the LevelDB store is `@tapelog/markers-level`.
 */

export type { DataMarkerConfig, ResolvedDataMarkerConfig } from './config.js';
export { DEFAULT_SAFETY_FLUSH_INTERVAL_MS, resolveDataMarkerConfig } from './config.js';
export type { DataClass } from './data-class.js';
export { DATA_CLASSES, isDataClass, parseDataClass } from './data-class.js';
export type { DataMarkerExtractor, ExtractorAccessors } from './extractor.js';
export { defineExtractor } from './extractor.js';
export type {
  AggressorSide,
  BarFingerprintFields,
  BookAction,
  BookDeltaFields,
  BookDeltasFingerprintFields,
  BookDepth10FingerprintFields,
  BookLevelFields,
  FingerprintFieldsByClass,
  OrderSide,
  QuoteFingerprintFields,
  TradeFingerprintFields,
} from './fingerprint.js';
export {
  DEPTH10_LEVELS,
  FINGERPRINT_DOMAINS,
  fingerprintBar,
  fingerprintBookDeltas,
  fingerprintBookDepth10,
  fingerprintQuote,
  fingerprintRecord,
  fingerprintTrade,
} from './fingerprint.js';
export type { FixedDecimal } from './fixed-decimal.js';
export { decimalFromString, rawAtPrecision } from './fixed-decimal.js';
export type { BarSpecification, BarTypeParts } from './identifier.js';
export { barTypeString, instrumentIdString } from './identifier.js';
export { MarkerReader } from './marker-reader.js';
export type { MarkerFinding, MarkerVerifyReport, VerifyMarkersOptions } from './marker-verifier.js';
export { isMarkerReportClean, verifyMarkers } from './marker-verifier.js';
export type { MarkerWriterStats } from './marker-writer.js';
export { MemoryMarkerBackend } from './memory-backend.js';
export type {
  DataCursorSnapshot,
  HiFiMarker,
  MarkerGap,
  MarkerGapReason,
  MarkerManifest,
  MarkerRecordKind,
  StoredMarkerRecord,
  StreamCursor,
  StreamDictEntry,
} from './model.js';
export { cloneMarkerManifest, isMarkerManifestSealed, MARKER_GAP_REASONS, newMarkerManifest } from './model.js';
export type { MarkerBinding, MarkerBindings, MessageTypeKey } from './registry.js';
export { bindMarkerType, buildMarkerRegistry, DataMarkerExtractorRegistry } from './registry.js';
export type { MarkerRegistryFactory, MarkerSidecarCloseResult, MarkerSidecarLogger, MarkerStoreOption, OpenMarkerSidecarOptions } from './sidecar.js';
export { MarkerSidecar, openMarkerSidecar, openMarkerSidecarOrDisable } from './sidecar.js';
export type { MutableSubmitCounter, SubmitCountSource } from './submit-counter.js';
export { createSubmitCounter } from './submit-counter.js';
export type { MarkerStoreVerification } from './verify-store.js';
export { formatMarkerFinding, formatMarkerVerification, markerVerificationToJson } from './verify-store.js';
