/**
 * The recovery sweep run at boot: seals every run a crashed process left `Running`, deciding its
 * status from its durable tail, and names the run the next one continues from (its parent).
 */
import { computeRunIntegrity, isUnsupportedStoreFormat, type EventStore, type EventStoreProvider, type RunIntegrity, type RunManifest, type SealedRunStatus } from '@tapelog/core';
import { classifyTail } from './tail-classification.js';

/** Where the sweep reports runs it skipped or could not close; defaults to `console.warn`. */
export type RecoveryLogger = (message: string) => void;

export interface RecoverPredecessorsOptions {
  logger?: RecoveryLogger;
}

/** One run this sweep sealed. */
export interface RecoveredRun {
  runId: string;
  status: SealedRunStatus;
  startTsInit: bigint;
  highWatermark: number;
  /** The chain head stored at seal; absent for Quarantined runs. */
  chainHead?: string;
  /** The sealed manifest as the backend stored it. */
  manifest: RunManifest;
}

/** One `Running` run this sweep left as it was; the next sweep tries again. */
export interface SkippedRun {
  runId: string;
  reason: 'open-failed' | 'read-failed' | 'seal-failed';
  error: unknown;
}

export interface RecoveryOutcome {
  /** Every run sealed by this sweep, in `startTsInit` order (Ended, CrashedRecovered and Quarantined alike). */
  recovered: RecoveredRun[];
  /** The CrashedRecovered run with the latest `startTsInit` among `recovered`, if any. */
  parentRunId?: string;
  skipped: SkippedRun[];
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Seals every `Running` run of `instanceId`, oldest first. A run that cannot be opened, read or
 * sealed is skipped and logged (it stays `Running` for the next sweep): one damaged run never
 * makes the instance unbootable. An unsupported store format, or a listing failure, fails the
 * sweep: that needs an operator.
 *
 * The parent is chosen among the runs sealed by this sweep only, as upstream does: a run sealed
 * by an earlier boot has already had its chance to be a parent.
 */
export async function recoverPredecessors(
  provider: EventStoreProvider,
  instanceId: string,
  options: RecoverPredecessorsOptions = {},
): Promise<RecoveryOutcome> {
  const log = options.logger ?? ((message: string) => console.warn(message));
  const outcome: RecoveryOutcome = { recovered: [], skipped: [] };
  const manifests = await provider.listRuns(instanceId);
  for (const listed of manifests) {
    if (listed.status !== 'Running') continue;
    const runId = listed.runId;
    let store: EventStore;
    try {
      store = await provider.openForRecovery(instanceId, runId);
    } catch (error) {
      if (isUnsupportedStoreFormat(error)) throw error;
      log(`tapelog recovery: skipping run ${runId} of instance ${instanceId}: cannot open it for recovery: ${describe(error)}; it stays Running and the next sweep retries it`);
      outcome.skipped.push({ runId, reason: 'open-failed', error });
      continue;
    }
    try {
      const tail = await classifyTail(store).catch((error: unknown) => ({ kind: 'unreadable' as const, highWatermark: 0, error }));
      if (tail.kind === 'unreadable') {
        log(`tapelog recovery: skipping run ${runId} of instance ${instanceId}: reading its durable tail failed: ${describe(tail.error)}; it stays Running and the next sweep retries it`);
        outcome.skipped.push({ runId, reason: 'read-failed', error: tail.error });
        continue;
      }
      if (tail.damage !== undefined) {
        log(`tapelog recovery: quarantining run ${runId} of instance ${instanceId}: ${describe(tail.damage)}`);
      }
      // The commitment to index rows and anchor; a run whose rows cannot be read back is damaged.
      let status = tail.status;
      let integrity: RunIntegrity | undefined;
      try {
        integrity = await computeRunIntegrity(store);
      } catch (error) {
        if (status !== 'Quarantined') log(`tapelog recovery: quarantining run ${runId} of instance ${instanceId}: its index rows or anchor cannot be read: ${describe(error)}`);
        status = 'Quarantined';
      }
      let manifest: RunManifest;
      try {
        manifest = await store.seal(status, status === 'Quarantined' ? undefined : tail.chainHead, integrity);
      } catch (error) {
        log(`tapelog recovery: skipping run ${runId} of instance ${instanceId}: sealing it ${status} failed: ${describe(error)}; it stays Running and the next sweep retries it`);
        outcome.skipped.push({ runId, reason: 'seal-failed', error });
        continue;
      }
      const recovered: RecoveredRun = {
        runId,
        status,
        startTsInit: manifest.startTsInit,
        highWatermark: manifest.highWatermark,
        manifest,
      };
      if (manifest.chainHead !== undefined) recovered.chainHead = manifest.chainHead;
      outcome.recovered.push(recovered);
      if (status === 'CrashedRecovered') outcome.parentRunId = runId;
    } finally {
      await store.close().catch((error: unknown) => log(`tapelog recovery: closing run ${runId} of instance ${instanceId} failed: ${describe(error)}`));
    }
  }
  return outcome;
}
