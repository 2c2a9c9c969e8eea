/** @tapelog/kernel-app: the simulated trading kernel, its capture registry, cache and runner. */

export { BlobDirectory } from './blob-directory.js';
export type { AccountRecord, OrderRecord, PositionRecord } from './cache.js';
export { KernelCache, positionIdOf, STATE_CHANGING_PAYLOAD_TYPES } from './cache.js';
export type { Instrument } from './domain/instruments.js';
export { INSTRUMENT_CATALOG, selectInstruments } from './domain/instruments.js';
export { EventLoop } from './event-loop.js';
export { IdGenerator, SequentialIds } from './id-generator.js';
export type { KernelOptions, KernelStatistics, RunProgressOptions } from './kernel.js';
export { DEFAULT_SIMULATION_START, DEFAULT_SNAPSHOT_INTERVAL, TradingKernel } from './kernel.js';
export { buildKernelMarkerRegistry, KERNEL_MARKER_CLASSES } from './market-data-markers.js';
export type { BusCounters, MessageHandler } from './message-bus.js';
export { MessageBus } from './message-bus.js';
export type { KernelMessageClass, MessageCatalogEntry, MessageCategory } from './messages/catalog.js';
export { KERNEL_MESSAGE_CATALOG, payloadTypeOf } from './messages/catalog.js';
export * as messages from './messages/index.js';
export { SeededRandom } from './random.js';
export { buildKernelRegistry } from './registry.js';
export type { RunKernelOptions, RunProgress, RunSummary, VerifySummary } from './run-kernel.js';
export { runKernel } from './run-kernel.js';
