/** @tapelog/writer: the batching writer of tapelog, on a worker thread or inline, with fail-stop halt. */
export { spawnWriter } from './spawn-writer.js';
export { prewarmWriterThread } from './standby-threads.js';
export { createInlineWriter } from './inline-writer.js';
export type { BackendModuleSpec, EventStoreWriter, InlineWriterOptions, SpawnWriterOptions } from './writer.js';
export { DEFAULT_WRITER_CONFIG, resolveWriterConfig } from './config.js';
export type { WriterConfig } from './config.js';
export { describeHaltReason, haltReasonFromError, noopHalt } from './halt.js';
export type { HaltCallback, HaltReason } from './halt.js';
export { SubmitError } from './submit-error.js';
export type { CommitStatistics } from './commit-statistics.js';
