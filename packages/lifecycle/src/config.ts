/**
 * The event-store configuration a kernel passes to `boot`: where runs live, the identity copied
 * into every manifest, retention, replay, markers and writer settings. Only `baseDir` is required.
 */
import type { RunManifest } from '@tapelog/core';
import type { DataMarkerConfig } from '@tapelog/markers';
import type { RetentionMode } from '@tapelog/recovery';

/** Identity fields copied into the manifest; each defaults to an empty value. */
export type RunIdentity = Pick<RunManifest, 'binaryHash' | 'schemaVersion' | 'packageVersions' | 'featureFlags' | 'adapterVersions' | 'configHash' | 'seed'>;

export interface EventStoreConfig {
  /** Runs live at `<baseDir>/<instanceId>/<runId>.level/`. */
  baseDir: string;
  identity?: Partial<RunIdentity>;
  /** Recorded in the manifest's feature flags as `retention=<full|bounded|snapshot>`; default Full. */
  retention?: RetentionMode;
  /** A sealed run to restore the cache from and to link as parent, instead of the recovered parent. */
  replayFromRunId?: string;
  /** The market-data marker sidecar beside each run; present means on. */
  dataMarkers?: DataMarkerConfig;
  /** Writer queue capacity in entries; default 10 000. */
  channelCapacity?: number;
  /** Largest writer batch; default 100. */
  maxBatchEntries?: number;
  /** Longest a writer batch waits to fill, milliseconds; default 5. */
  maxBatchLatencyMs?: number;
  /** How long a full queue may block a submit before the run halts, milliseconds; default 250. */
  haltThresholdMs?: number;
  /** How long `open` waits for RunStarted to become durable, milliseconds; default 5000. */
  runStartedTimeoutMs?: number;
}

export const DEFAULT_RUN_STARTED_TIMEOUT_MS = 5000;

export function resolveIdentity(identity: Partial<RunIdentity> = {}): RunIdentity {
  return {
    binaryHash: identity.binaryHash ?? '',
    schemaVersion: identity.schemaVersion ?? 0,
    packageVersions: identity.packageVersions ?? '',
    featureFlags: [...(identity.featureFlags ?? [])],
    adapterVersions: { ...(identity.adapterVersions ?? {}) },
    configHash: identity.configHash ?? '',
    seed: identity.seed,
  };
}

/** The feature-flag tag of a retention mode. */
export function retentionTag(mode: RetentionMode = { kind: 'Full' }): string {
  switch (mode.kind) {
    case 'Full':
      return 'full';
    case 'Bounded':
      return 'bounded';
    case 'SnapshotAnchored':
      return 'snapshot';
  }
}

/** Checks a config before anything touches the disk: a bad config is a clear TypeError. */
export function assertValidConfig(config: EventStoreConfig): void {
  if (typeof config !== 'object' || config === null) throw new TypeError('event store config must be an object');
  if (typeof config.baseDir !== 'string' || config.baseDir.length === 0) {
    throw new TypeError('event store config.baseDir must be a non-empty path');
  }
  for (const field of ['channelCapacity', 'maxBatchEntries', 'runStartedTimeoutMs'] as const) {
    const value = config[field];
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new RangeError(`event store config.${field} must be a positive integer, got ${String(value)}`);
    }
  }
  for (const field of ['maxBatchLatencyMs', 'haltThresholdMs'] as const) {
    const value = config[field];
    if (value !== undefined && (typeof value !== 'number' || !(value >= 0))) {
      throw new RangeError(`event store config.${field} must be a non-negative number, got ${String(value)}`);
    }
  }
}
