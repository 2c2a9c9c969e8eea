/** @tapelog/lifecycle: boot, open, seal and restore of tapelog runs for a trading kernel. */
export { EventStoreLifecycle } from './lifecycle.js';
export type { EventStoreLifecycleOptions, LifecycleLogger, OpenContext } from './lifecycle.js';
export { DEFAULT_RUN_STARTED_TIMEOUT_MS, resolveIdentity, retentionTag } from './config.js';
export type { EventStoreConfig, RunIdentity } from './config.js';
export type { DataMarkerConfig } from '@tapelog/markers';
export { HaltSignal } from './halt-signal.js';
export { backendForStore, levelBackend, lmdbBackend, postgresBackend } from './backend-choice.js';
export type { BackendChoice, BackendOpener } from './backend-choice.js';
export { buildRunManifest } from './manifest-builder.js';
export { runStartedDraft } from './run-started.js';
export { EventStoreSession } from './session.js';
export type { SnapshotAnchorer, SnapshotBlob } from './session.js';
export type { MarkerRegistryFactory } from './marker-setup.js';
