/**
 * @tapelog/core/backend: the API for backend authors, kept apart from what applications use.
 * `AbstractEventStore` enforces the storage contract; a backend implements its primitives.
 */

export type { BackendCapabilities, EntryHashRange, EventStore, EventStoreProvider, FaultHooks, ProviderFactory, TamperHooks } from '../backend.js';
export type { IndexRow, PreparedBatch, StoredRow, StoreInit } from './abstract-event-store.js';
export { AbstractEventStore } from './abstract-event-store.js';
export { CommitFaults } from './commit-faults.js';
export { syncDirectory, writeFileDurably } from './durable-files.js';
export type { BlockRewrite, EntryBlock } from './entry-blocks.js';
export {
  blockRecord,
  encodeEntryBlock,
  entryBlockOfRow,
  MAX_BLOCK_BYTES,
  MAX_BLOCK_ENTRIES,
  maxTsInitOfBlockRow,
  parseEntryBlock,
  recordOfBlockRow,
  rewriteBlockRecord,
  rowsOfBlocks,
  splitIntoBlocks,
} from './entry-blocks.js';
export {
  decodeManifestCopy,
  encodeManifestCopy,
  MANIFEST_COPY_FILE,
  manifestCopyPath,
  markQuarantinedByCopy,
  readManifestCopy,
  removeManifestCopy,
  writeManifestCopy,
} from './manifest-copy.js';
export { OpenRuns } from './open-runs.js';
export { recordCheckStats, terminateRecordCheckThreads } from './record-check-pool.js';
export type { RegisteredStore, RunDirectoryLayout, StorageErrorMapper, WarningSink } from './run-directory-provider.js';
export { instanceDirectory, RunDirectoryProvider, runDirectory, runIdOfDirectoryName } from './run-directory-provider.js';
export type { StoreHooks } from './store-hooks.js';
export { decodeStoredManifest } from './stored-manifest.js';
