/** @tapelog/writer: the batching writer of tapelog, on a worker thread or inline, with fail-stop halt. */

export type { CommitStatistics } from './commit-statistics.js';
export type { WriterConfig } from './config.js';
export { DEFAULT_WRITER_CONFIG, resolveWriterConfig } from './config.js';
export type { HaltCallback, HaltReason } from './halt.js';
export { describeHaltReason, haltReasonFromError, noopHalt } from './halt.js';
export { createInlineWriter } from './inline-writer.js';
export { spawnWriter } from './spawn-writer.js';
export { prewarmWriterThread, standbyWriterThreadId } from './standby-threads.js';
export { SubmitError } from './submit-error.js';
export type { BackendModuleSpec, EventStoreWriter, InlineWriterOptions, SpawnWriterOptions } from './writer.js';
