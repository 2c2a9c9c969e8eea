/**
 * @tapelog/core/backend: the API for backend authors, kept apart from what applications use.
 * `AbstractEventStore` enforces the storage contract; a backend implements its primitives.
 */

export type { BackendCapabilities, EntryHashRange, EventStore, EventStoreProvider, FaultHooks, ProviderFactory, TamperHooks } from '../backend.js';
export type { IndexRow, PreparedBatch, StoredRow, StoreInit } from './abstract-event-store.js';
export { AbstractEventStore } from './abstract-event-store.js';
export { CommitFaults } from './commit-faults.js';
export { syncDirectory, writeFileDurably } from './durable-files.js';
export { OpenRuns } from './open-runs.js';
export { recordCheckStats } from './record-check-pool.js';
