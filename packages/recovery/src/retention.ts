/**
 * Retention planning: which sealed runs could be reclaimed under a retention mode, while always
 * keeping the newest known-good restore point. Pure and non-destructive: nothing is deleted here.
 */
import { isSealed, type RunManifest, type SnapshotAnchor } from '@tapelog/core';

export type RetentionMode = { kind: 'Full' } | { kind: 'Bounded'; keepLast: number } | { kind: 'SnapshotAnchored' };

export type SnapshotAnchorStatus = { kind: 'Missing' } | { kind: 'Valid'; anchor: SnapshotAnchor } | { kind: 'Invalid'; reason: string };

export interface RetentionRun {
  manifest: RunManifest;
  /** Where the run lives (a directory or `memory://` address), for operators. */
  location: string;
  snapshotAnchor: SnapshotAnchorStatus;
}

export interface RetentionPlan {
  /** Every sealed run, sorted by startTsInit (ties keep input order). */
  sealedRuns: RetentionRun[];
  /** The runs that may be reclaimed, a subset of sealedRuns in the same order. */
  reclaimCandidates: RetentionRun[];
}

/** Sealed, not Quarantined, and carrying an anchor within its durable high-watermark. */
export function isKnownGoodRestorePoint(run: RetentionRun): boolean {
  const status = run.manifest.status;
  return (status === 'Ended' || status === 'CrashedRecovered') && run.snapshotAnchor.kind === 'Valid';
}

function assertValidMode(mode: RetentionMode): void {
  if (mode.kind === 'Bounded' && (!Number.isSafeInteger(mode.keepLast) || mode.keepLast < 0)) {
    throw new RangeError(`Bounded retention needs keepLast to be a non-negative integer, got ${String(mode.keepLast)}`);
  }
  if (mode.kind !== 'Full' && mode.kind !== 'Bounded' && mode.kind !== 'SnapshotAnchored') {
    throw new TypeError(`unknown retention mode ${JSON.stringify((mode as { kind?: unknown }).kind)}`);
  }
}

/**
 * `Full` reclaims nothing. `Bounded { keepLast }` keeps the newest `keepLast` sealed runs plus the
 * newest known-good restore point. `SnapshotAnchored` reclaims every run older than the newest
 * known-good restore point. Without a known-good restore point nothing is reclaimable. `Running`
 * runs are dropped first: they are never candidates.
 */
export function planRetention(runs: readonly RetentionRun[], mode: RetentionMode): RetentionPlan {
  assertValidMode(mode);
  // Array.prototype.sort is stable: ties in startTsInit keep input order.
  const sealedRuns = runs
    .filter((run) => isSealed(run.manifest.status))
    .sort((a, b) => (a.manifest.startTsInit < b.manifest.startTsInit ? -1 : a.manifest.startTsInit > b.manifest.startTsInit ? 1 : 0));
  let restorePoint = -1;
  for (let index = sealedRuns.length - 1; index >= 0; index--) {
    if (isKnownGoodRestorePoint(sealedRuns[index]!)) {
      restorePoint = index;
      break;
    }
  }
  if (mode.kind === 'Full' || restorePoint < 0) return { sealedRuns, reclaimCandidates: [] };
  if (mode.kind === 'SnapshotAnchored') return { sealedRuns, reclaimCandidates: sealedRuns.slice(0, restorePoint) };
  const keepFrom = sealedRuns.length - Math.min(mode.keepLast, sealedRuns.length);
  const reclaimCandidates = sealedRuns.filter((_, index) => index !== restorePoint && index < keepFrom);
  return { sealedRuns, reclaimCandidates };
}
