/** The manifest a new run opens with: identity from the config, the retention tag, the parent link. */
import { newManifest, type RegisteredComponents, type RunManifest } from '@tapelog/core';
import { type EventStoreConfig, resolveIdentity, retentionTag } from './config.js';

export function buildRunManifest(
  config: EventStoreConfig,
  instanceId: string,
  runId: string,
  parentRunId: string | undefined,
  startTsInit: bigint,
  components: RegisteredComponents,
): RunManifest {
  const identity = resolveIdentity(config.identity);
  return newManifest({
    runId,
    parentRunId,
    instanceId,
    binaryHash: identity.binaryHash,
    schemaVersion: identity.schemaVersion,
    packageVersions: identity.packageVersions,
    featureFlags: [...identity.featureFlags, `retention=${retentionTag(config.retention)}`],
    adapterVersions: identity.adapterVersions,
    configHash: identity.configHash,
    registeredComponents: components,
    seed: identity.seed,
    startTsInit,
  });
}
