/** @tapelog/core: the data model, hashing, codec, errors and storage contract of tapelog. */
export type {
  AppendEntry,
  Clock,
  EntryDraft,
  EventStoreEntry,
  Headers,
  IndexKey,
  RegisteredComponents,
  IndexKindCommitment,
  RunIntegrity,
  RunManifest,
  RunStatus,
  ScanDirection,
  SealedRunStatus,
  SnapshotAnchor,
} from './types.js';
export { INDEX_KIND_CLIENT_ORDER_ID, INDEX_KIND_VENUE_ORDER_ID, RUN_STATUSES } from './types.js';
export type { BackendCapabilities, EventStore, EventStoreProvider, FaultHooks, ProviderFactory, TamperHooks } from './backend.js';
export {
  TapelogError,
  anchorRejectedError,
  backendError,
  closedError,
  corruptedError,
  crashedPredecessorError,
  diskError,
  fencedError,
  gapError,
  hashMismatchError,
  invalidArgumentError,
  isDiskPressure,
  notSupportedError,
  outOfOrderError,
  runAlreadyOpenError,
  runNotFoundError,
  runNotSealedError,
  runSealedError,
  writerClosedError,
} from './errors.js';
export type { TapelogErrorCode, TapelogErrorDetails } from './errors.js';
export { ENTRY_HASH_DOMAIN, computeEntryHash, computeSnapshotContentHash, verifyEntryHash } from './hash.js';
export type { EntryHashFields } from './hash.js';
export { blake3 } from './blake3.js';
export { CHAIN_DOMAIN, CHAIN_GENESIS, ChainHasher, computeChainHead, nextChainHash } from './chain.js';
export { bytesEqual, fromHex, toHex } from './hex.js';
export { utf8Text } from './utf8-cache.js';
export { isCanonicalUuid4, isUuid4Bytes, uuid4FromRawBytes, uuidFromBytes, uuidToBytes } from './uuid.js';
export {
  INDEX_KIND_PATTERN,
  assertSeq,
  assertTimestamp,
  assertValidDraft,
  assertValidIndexKey,
  assertValidIndexKind,
  assertValidTopic,
  isValidTopic,
} from './validation.js';
export { assertSafePathSegment, buildRunId, isRunId } from './run-id.js';
export { cloneManifest, emptyRegisteredComponents, isSealed, newManifest, normalizeForOpen, sealedManifest } from './manifest.js';
export { assertValidAnchorShape, validateSnapshotAnchor } from './anchor.js';
export { RealtimeClock, SimulatedClock } from './clock.js';
export {
  RUN_ENDED_PAYLOAD_TYPE,
  RUN_ENDED_TOPIC,
  RUN_STARTED_PAYLOAD_TYPE,
  RUN_STARTED_TOPIC,
  buildAppendEntry,
  buildEntry,
  draftWithoutIndices,
  isRunEnded,
  runEndedDraft,
} from './entry.js';
export { FRAME_MAGIC, FRAME_HEADER_LENGTH } from './codec/frame.js';
export { ENTRY_RECORD_VERSION, computeEntryRecordHash, decodeCheckedEntry, decodeEntry, encodeEntry } from './codec/entry-codec.js';
export { MANIFEST_RECORD_VERSION, RECORD_VERSION, decodeAnchor, decodeManifest, decodeRecord, encodeAnchor, encodeManifest, encodeRecord } from './codec/record-codec.js';
export { ANCHOR_DIGEST_DOMAIN, INDEX_DIGEST_DOMAIN, computeAnchorDigest, computeIndexKindDigest, computeRunIntegrity } from './integrity.js';
export { ShapeReader } from './codec/shape.js';
export { STORE_FORMAT_VERSION, checkStoreFormat, isUnsupportedStoreFormat } from './store-format.js';
export { DEFAULT_SCAN_CHUNK_SIZE, EventStoreReader, isEmptyReplayPlan } from './reader.js';
export type { SnapshotReplayPlan } from './reader.js';
export { assertContiguousBatch, clipScanRange, maxTsInitOf, missingRowError, validateStoredRange } from './backend-rules.js';
export { readerSpawnCommand } from './reader-spawn.js';
