/** @tapelog/core: the data model, hashing, codec, errors and storage contract of tapelog. */

export { assertValidAnchorShape, validateSnapshotAnchor } from './anchor.js';
export type {
  BackendCapabilities,
  EntryHashRange,
  EntryRecordRange,
  EventStore,
  EventStoreProvider,
  FaultHooks,
  ProviderFactory,
  TamperHooks,
} from './backend.js';
export { assertContiguousBatch, clipScanRange, maxTsInitOf, missingRowError, validateStoredRange } from './backend-rules.js';
export { blake3 } from './blake3.js';
export { CHAIN_DOMAIN, CHAIN_GENESIS, ChainHasher, computeChainHead, nextChainHash } from './chain.js';
export { RealtimeClock, SimulatedClock } from './clock.js';
export { checkEntryRecord, computeEntryRecordHash, decodeCheckedEntry, decodeEntry, ENTRY_RECORD_VERSION, encodeEntry } from './codec/entry-codec.js';
export { FRAME_HEADER_LENGTH, FRAME_MAGIC } from './codec/frame.js';
export {
  decodeAnchor,
  decodeManifest,
  decodeRecord,
  encodeAnchor,
  encodeManifest,
  encodeRecord,
  MANIFEST_RECORD_VERSION,
  RECORD_VERSION,
} from './codec/record-codec.js';
export { ShapeReader } from './codec/shape.js';
export {
  buildAppendEntry,
  buildEntry,
  draftWithoutIndices,
  isRunEnded,
  RUN_ENDED_PAYLOAD_TYPE,
  RUN_ENDED_TOPIC,
  RUN_STARTED_PAYLOAD_TYPE,
  RUN_STARTED_TOPIC,
  runEndedDraft,
} from './entry.js';
export type { TapelogErrorCode, TapelogErrorDetails } from './errors.js';
export {
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
  TapelogError,
  writerClosedError,
} from './errors.js';
export type { EntryHashFields } from './hash.js';
export { computeEntryHash, computeSnapshotContentHash, ENTRY_HASH_DOMAIN, verifyEntryHash } from './hash.js';
export { bytesEqual, fromHex, toHex } from './hex.js';
export { ANCHOR_DIGEST_DOMAIN, computeAnchorDigest, computeIndexKindDigest, computeRunIntegrity, INDEX_DIGEST_DOMAIN } from './integrity.js';
export { cloneManifest, emptyRegisteredComponents, isSealed, newManifest, normalizeForOpen, sealedManifest } from './manifest.js';
export type { SnapshotReplayPlan } from './reader.js';
export { DEFAULT_SCAN_CHUNK_SIZE, EventStoreReader, isEmptyReplayPlan } from './reader.js';
export { readerSpawnCommand } from './reader-spawn.js';
export { assertSafePathSegment, buildRunId, isRunId } from './run-id.js';
export { checkStoreFormat, isUnsupportedStoreFormat, STORE_FORMAT_VERSION } from './store-format.js';
export type {
  AppendEntry,
  Clock,
  EntryDraft,
  EventStoreEntry,
  Headers,
  IndexKey,
  IndexKindCommitment,
  RegisteredComponents,
  RunIntegrity,
  RunManifest,
  RunStatus,
  ScanDirection,
  SealedRunStatus,
  SnapshotAnchor,
} from './types.js';
export { INDEX_KIND_CLIENT_ORDER_ID, INDEX_KIND_VENUE_ORDER_ID, RUN_STATUSES } from './types.js';
export { utf8Text } from './utf8-cache.js';
export { isCanonicalUuid4, isUuid4Bytes, parseUuidInto, uuid4FromRawBytes, uuidFromBytes, uuidToBytes } from './uuid.js';
export {
  assertSeq,
  assertTimestamp,
  assertValidDraft,
  assertValidIndexKey,
  assertValidIndexKind,
  assertValidTopic,
  INDEX_KIND_PATTERN,
  isValidTopic,
} from './validation.js';
