/** @tapelog/lifecycle: boot, open, seal and restore of tapelog runs for a trading kernel. */

export type { DataMarkerConfig } from '@tapelog/markers';
export type { RestoreTarget } from '@tapelog/recovery';
export type { BackendChoice, BackendOpener } from './backend-choice.js';
export { backendForStore, levelBackend, lmdbBackend, postgresBackend } from './backend-choice.js';
export type { EventStoreConfig, RunIdentity } from './config.js';
export { DEFAULT_RUN_STARTED_TIMEOUT_MS, resolveIdentity, retentionTag } from './config.js';
export { HaltSignal } from './halt-signal.js';
export type { EventStoreLifecycleOptions, LifecycleLogger, OpenContext } from './lifecycle.js';
export { EventStoreLifecycle } from './lifecycle.js';
export { buildRunManifest } from './manifest-builder.js';
export type { MarkerRegistryFactory } from './marker-setup.js';
export { runStartedDraft } from './run-started.js';
export type { SnapshotAnchorer, SnapshotBlob } from './session.js';
export { EventStoreSession } from './session.js';
