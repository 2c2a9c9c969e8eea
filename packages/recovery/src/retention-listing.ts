/**
 * Builds retention inputs from a provider: every sealed run of an instance with the status of
 * its snapshot anchor, judged against the durable high-watermark (not the manifest's), so a
 * tail-trimmed run is never taken for a restore point the restore path would refuse.
 */
import { type EventStore, type EventStoreProvider, isSealed, TapelogError } from '@tapelog/core';
import { planRetention, type RetentionMode, type RetentionPlan, type RetentionRun, type SnapshotAnchorStatus } from './retention.js';

/** The anchor of an open run as retention sees it; an undecodable anchor is Invalid, not an error. */
export async function snapshotAnchorStatus(store: EventStore): Promise<SnapshotAnchorStatus> {
  const durable = await store.highWatermark();
  try {
    const anchor = await store.latestSnapshotAnchor();
    if (anchor === undefined) return { kind: 'Missing' };
    if (anchor.highWatermark > durable) {
      return { kind: 'Invalid', reason: `snapshot anchor high_watermark ${anchor.highWatermark} exceeds durable high_watermark ${durable}` };
    }
    return { kind: 'Valid', anchor };
  } catch (error) {
    if (TapelogError.hasCode(error, 'CORRUPTED')) return { kind: 'Invalid', reason: error.detail };
    throw error;
  }
}

/**
 * Every sealed run of the instance, opened read-only one at a time. Runs the provider's listing
 * skips are absent; a sealed run that then fails to open aborts the listing (a plan built on a
 * partial view could reclaim the wrong runs).
 */
export async function listSealedRuns(provider: EventStoreProvider, instanceId: string): Promise<RetentionRun[]> {
  const runs: RetentionRun[] = [];
  for (const listed of await provider.listRuns(instanceId)) {
    if (!isSealed(listed.status)) continue;
    const store = await provider.openSealed(instanceId, listed.runId);
    try {
      runs.push({ manifest: await store.manifest(), location: store.location, snapshotAnchor: await snapshotAnchorStatus(store) });
    } finally {
      await store.close();
    }
  }
  return runs;
}

/** `planRetention` over the runs a provider holds for one instance. */
export async function planProviderRetention(provider: EventStoreProvider, instanceId: string, mode: RetentionMode): Promise<RetentionPlan> {
  return planRetention(await listSealedRuns(provider, instanceId), mode);
}
