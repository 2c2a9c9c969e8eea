/**
 * Which runs may be replayed from: sealed ones that ended or crashed cleanly. Missing, still
 * `Running` and `Quarantined` runs are rejected with INVALID_REPLAY_SOURCE before anything is read.
 */
import { type EventStore, type EventStoreProvider, type RunManifest, TapelogError } from '@tapelog/core';

function invalidReplaySource(runId: string, instanceId: string, reason: string, cause?: unknown): TapelogError {
  return new TapelogError(
    'INVALID_REPLAY_SOURCE',
    `replay source ${runId} of instance ${instanceId} cannot be used: ${reason}`,
    cause === undefined ? { detail: reason } : { detail: reason, cause },
  );
}

/**
 * Opens the run read-only and checks it may be replayed; the caller owns (and closes) the store.
 * No entry is read here: corruption in the tail surfaces while replaying it.
 */
export async function openReplaySource(provider: EventStoreProvider, instanceId: string, runId: string): Promise<{ manifest: RunManifest; store: EventStore }> {
  let store: EventStore;
  try {
    store = await provider.openSealed(instanceId, runId);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw invalidReplaySource(runId, instanceId, `${message}; pick an Ended or CrashedRecovered run (tapelog runs lists them)`, error);
  }
  try {
    const manifest = await store.manifest();
    if (manifest.status === 'Running') {
      throw invalidReplaySource(runId, instanceId, `run at ${store.location} is not sealed, status was Running; run the recovery sweep first`);
    }
    if (manifest.status === 'Quarantined') {
      throw invalidReplaySource(runId, instanceId, `replay source ${runId} is quarantined: its log is damaged (tapelog verify shows where)`);
    }
    return { manifest, store };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Returns the manifest of a usable replay source, or throws INVALID_REPLAY_SOURCE saying why not. */
export async function validateReplaySource(provider: EventStoreProvider, instanceId: string, runId: string): Promise<RunManifest> {
  const { manifest, store } = await openReplaySource(provider, instanceId, runId);
  await store.close();
  return manifest;
}
