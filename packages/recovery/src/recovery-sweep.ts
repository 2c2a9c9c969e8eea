/**
 * The recovery sweep run at boot: sets aside runs never fully created, seals every run a crashed
 * process left `Running` (deciding its status from its durable tail), and names the run the next
 * one continues from (its parent).
 */
import { type EventStoreProvider, isUnsupportedStoreFormat, type RunManifest, TapelogError } from '@tapelog/core';
import { type CarriedFailure, type ReaderIsolation, reviveFailure, runInReaderProcess } from './reader-process.js';
import { describe, type RecoveredRun, type RunRecovery, recoveredRun, recoverRun, type SkippedRun } from './recover-run.js';

export type { RecoveredRun, SkippedRun } from './recover-run.js';

/** Where the sweep reports runs it skipped or could not close; defaults to `console.warn`. */
export type RecoveryLogger = (message: string) => void;

export interface RecoverPredecessorsOptions {
  logger?: RecoveryLogger;
  /**
   * Read each crashed run in a child process built from this backend module: a damaged run
   * that makes the backend abort the process (LevelDB does on some damaged tables) kills the
   * child, and the run is quarantined instead of the boot dying. Costs one child process per
   * crashed run (a few hundred milliseconds); runs already sealed cost nothing.
   */
  isolation?: ReaderIsolation;
}

export interface RecoveryOutcome {
  /** Every run sealed by this sweep, in `startTsInit` order (Ended, CrashedRecovered and Quarantined alike). */
  recovered: RecoveredRun[];
  /** The CrashedRecovered run with the latest `startTsInit` among `recovered`, if any. */
  parentRunId?: string;
  skipped: SkippedRun[];
}

/** A run recovered in a child process: a child that died means the run is damaged. */
async function recoverIsolated(provider: EventStoreProvider, isolation: ReaderIsolation, listed: RunManifest, log: RecoveryLogger): Promise<RunRecovery> {
  const { instanceId, runId } = listed;
  let outcome: RunRecovery | { skipped: SkippedRun & { error: CarriedFailure } };
  try {
    outcome = await runInReaderProcess(isolation, { kind: 'recover-run', instanceId, runId }, `${runId} of instance ${instanceId}`, log);
  } catch (error) {
    if (isUnsupportedStoreFormat(error) || !TapelogError.hasCode(error, 'CORRUPTED') || provider.markUnreadableRunQuarantined === undefined) throw error;
    log(`tapelog recovery: quarantining run ${runId} of instance ${instanceId}: ${describe(error)}`);
    return { recovered: recoveredRun(await provider.markUnreadableRunQuarantined(listed)) };
  }
  if ('skipped' in outcome) return { skipped: { ...outcome.skipped, error: reviveFailure(outcome.skipped.error as CarriedFailure) } };
  return outcome;
}

/** Sets aside the runs never fully created, with one warning line each. */
async function setAsideIncompleteRuns(provider: EventStoreProvider, instanceId: string, log: RecoveryLogger): Promise<void> {
  if (provider.setAsideIncompleteRuns === undefined) return;
  try {
    for (const { runId, location } of await provider.setAsideIncompleteRuns(instanceId)) {
      log(
        `tapelog recovery: run ${runId} of instance ${instanceId} was never fully created (nothing was committed); set aside as ${location} and never retried`,
      );
    }
  } catch (error) {
    log(`tapelog recovery: setting aside runs of instance ${instanceId} never fully created failed: ${describe(error)}; the next sweep retries`);
  }
}

/**
 * Seals every `Running` run of `instanceId`, oldest first. A run that cannot be opened, read or
 * sealed is skipped and logged (it stays `Running` for the next sweep): one damaged run never
 * makes the instance unbootable. With `isolation`, a run whose reading kills the child reader is
 * quarantined (marked so through the provider, without opening it). An unsupported store
 * format, or a listing failure, fails the sweep: that needs an operator.
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
  await setAsideIncompleteRuns(provider, instanceId, log);
  const manifests = await provider.listRuns(instanceId);
  for (const listed of manifests) {
    if (listed.status !== 'Running') continue;
    let recovery: RunRecovery;
    try {
      recovery =
        options.isolation === undefined
          ? await recoverRun(provider, instanceId, listed.runId, log)
          : await recoverIsolated(provider, options.isolation, listed, log);
    } catch (error) {
      if (isUnsupportedStoreFormat(error)) throw error;
      log(`tapelog recovery: skipping run ${listed.runId} of instance ${instanceId}: ${describe(error)}; it stays Running and the next sweep retries it`);
      outcome.skipped.push({ runId: listed.runId, reason: 'read-failed', error });
      continue;
    }
    if ('skipped' in recovery) {
      outcome.skipped.push(recovery.skipped);
      continue;
    }
    outcome.recovered.push(recovery.recovered);
    if (recovery.recovered.status === 'CrashedRecovered') outcome.parentRunId = recovery.recovered.runId;
  }
  return outcome;
}
