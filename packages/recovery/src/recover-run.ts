/**
 * Recovery of one crashed run: opens it, classifies its durable tail, commits to its index rows
 * and anchor, and seals it with the status the tail decides. The recovery sweep runs it in-process
 * or, isolated, in a child process.
 */
import {
  computeRunIntegrity,
  type EventStore,
  type EventStoreProvider,
  isUnsupportedStoreFormat,
  type RunIntegrity,
  type RunManifest,
  type SealedRunStatus,
} from '@tapelog/core';
import { classifyTail } from './tail-classification.js';

/** One run the sweep sealed. */
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

/** One `Running` run the sweep left as it was; the next sweep tries again. */
export interface SkippedRun {
  runId: string;
  reason: 'open-failed' | 'read-failed' | 'seal-failed';
  error: unknown;
}

export type RunRecovery = { recovered: RecoveredRun } | { skipped: SkippedRun };

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The run as sealed, in the shape the sweep reports. */
export function recoveredRun(manifest: RunManifest): RecoveredRun {
  const recovered: RecoveredRun = {
    runId: manifest.runId,
    status: manifest.status as SealedRunStatus,
    startTsInit: manifest.startTsInit,
    highWatermark: manifest.highWatermark,
    manifest,
  };
  if (manifest.chainHead !== undefined) recovered.chainHead = manifest.chainHead;
  return recovered;
}

/**
 * Recovers one `Running` run. A run that cannot be opened, read or sealed is skipped and logged;
 * an unsupported store format is thrown (that needs an operator).
 */
export async function recoverRun(provider: EventStoreProvider, instanceId: string, runId: string, log: (message: string) => void): Promise<RunRecovery> {
  let store: EventStore;
  try {
    store = await provider.openForRecovery(instanceId, runId);
  } catch (error) {
    if (isUnsupportedStoreFormat(error)) throw error;
    log(
      `tapelog recovery: skipping run ${runId} of instance ${instanceId}: cannot open it for recovery: ${describe(error)}; it stays Running and the next sweep retries it`,
    );
    return { skipped: { runId, reason: 'open-failed', error } };
  }
  try {
    const tail = await classifyTail(store).catch((error: unknown) => ({ kind: 'unreadable' as const, highWatermark: 0, error }));
    if (tail.kind === 'unreadable') {
      log(
        `tapelog recovery: skipping run ${runId} of instance ${instanceId}: reading its durable tail failed: ${describe(tail.error)}; it stays Running and the next sweep retries it`,
      );
      return { skipped: { runId, reason: 'read-failed', error: tail.error } };
    }
    if (tail.damage !== undefined) {
      log(`tapelog recovery: quarantining run ${runId} of instance ${instanceId}: ${describe(tail.damage)}`);
    }
    let status = tail.status;
    // Rows the storage dropped while reopening the run leave a tail that looks clean but is not all that was acknowledged.
    const dropped = await provider.recoveryDamage?.(instanceId, runId);
    if (dropped !== undefined && status !== 'Quarantined') {
      log(
        `tapelog recovery: quarantining run ${runId} of instance ${instanceId}: the storage dropped acknowledged rows while reopening it: ${dropped.split('\n')[0]}`,
      );
      status = 'Quarantined';
    }
    // The commitment to index rows and anchor; a run whose rows cannot be read back is damaged.
    let integrity: RunIntegrity | undefined;
    try {
      integrity = await computeRunIntegrity(store);
    } catch (error) {
      if (status !== 'Quarantined')
        log(`tapelog recovery: quarantining run ${runId} of instance ${instanceId}: its index rows or anchor cannot be read: ${describe(error)}`);
      status = 'Quarantined';
    }
    let manifest: RunManifest;
    try {
      manifest = await store.seal(status, status === 'Quarantined' ? undefined : tail.chainHead, integrity);
    } catch (error) {
      log(
        `tapelog recovery: skipping run ${runId} of instance ${instanceId}: sealing it ${status} failed: ${describe(error)}; it stays Running and the next sweep retries it`,
      );
      return { skipped: { runId, reason: 'seal-failed', error } };
    }
    return { recovered: recoveredRun(manifest) };
  } finally {
    await store.close().catch((error: unknown) => log(`tapelog recovery: closing run ${runId} of instance ${instanceId} failed: ${describe(error)}`));
  }
}
