/**
 * Restores caller-owned state from a sealed run: the snapshot blob named by the latest anchor
 * (its content hash checked), then every entry after the anchor, in seq order, through the
 * caller's applier. Read-only towards the store; not transactional towards the target.
 */
import {
  computeSnapshotContentHash,
  corruptedError,
  type EventStoreEntry,
  type EventStoreProvider,
  EventStoreReader,
  type RunManifest,
  type SnapshotAnchor,
  TapelogError,
} from '@tapelog/core';
import { type ReaderIsolation, runInReaderProcess } from './reader-process.js';
import { openReplaySource } from './replay-source.js';

/** What the caller restores into (a cache, a projection …). Every method may be async. */
export interface RestoreTarget {
  /** The snapshot blob the anchor names (`anchor.blobRef`), or undefined when it is not found. */
  loadSnapshot(anchor: SnapshotAnchor): Promise<Uint8Array | undefined> | Uint8Array | undefined;
  /** Restores the blob; called once, after its content hash was checked, before any entry. */
  applySnapshot(blob: Uint8Array, anchor: SnapshotAnchor): Promise<void> | void;
  /** Applies one entry of the tail: true when it changed state, false when it was ignored. */
  applyEntry(entry: EventStoreEntry): Promise<boolean> | boolean;
}

export interface RestoreReport {
  manifest: RunManifest;
  anchor?: SnapshotAnchor;
  /** First seq of the replayed tail (anchor hwm + 1, or 1 without anchor). */
  fromSeq: number;
  /** Last seq of the replayed tail: the durable high-watermark. Empty tail when fromSeq > toSeq. */
  toSeq: number;
  applied: number;
  ignored: number;
}

function snapshotError(blobRef: string, message: string, cause?: unknown): Error {
  return new TapelogError('SNAPSHOT_REJECTED', `restore cache snapshot ${blobRef}: ${message}`, { cause });
}

/** Loads the anchored blob through the target, refusing it unless its content hash matches. */
async function restoreSnapshot(target: RestoreTarget, anchor: SnapshotAnchor): Promise<void> {
  let blob: Uint8Array | undefined;
  try {
    blob = await target.loadSnapshot(anchor);
  } catch (error) {
    throw snapshotError(anchor.blobRef, error instanceof Error ? error.message : String(error), error);
  }
  if (blob === undefined) throw snapshotError(anchor.blobRef, 'snapshot blob not found');
  const actual = computeSnapshotContentHash(blob);
  if (actual !== anchor.contentHash) {
    throw corruptedError(`restore cache snapshot ${anchor.blobRef}: content_hash mismatch: expected ${anchor.contentHash}, actual ${actual}`);
  }
  await target.applySnapshot(blob, anchor);
}

/** What a restore reads from the store, handed to the callbacks in order. */
interface RestoreVisitor {
  anchor(anchor: SnapshotAnchor): Promise<void>;
  entry(entry: EventStoreEntry): Promise<void>;
}

/**
 * Opens the source (see `validateReplaySource`) and reads what a restore reads: the latest
 * anchor, then every entry after it in seq order. Entries at or below the anchor are never read.
 */
async function readRestoreSource(provider: EventStoreProvider, instanceId: string, runId: string, visit: RestoreVisitor) {
  const { manifest, store } = await openReplaySource(provider, instanceId, runId);
  try {
    const reader = new EventStoreReader(store);
    const plan = await reader.snapshotReplayPlan();
    if (plan.anchor !== undefined) await visit.anchor(plan.anchor);
    for await (const entry of reader.scanRange(plan.fromSeq, plan.toSeq)) {
      if (entry.seq < plan.fromSeq) {
        throw corruptedError(`entry seq ${entry.seq} is before replay start seq ${plan.fromSeq} in run ${runId}`, { seq: entry.seq });
      }
      await visit.entry(entry);
    }
    return { manifest, plan };
  } finally {
    await store.close();
  }
}

/**
 * Restores the anchored snapshot, then applies the tail. On error the target keeps whatever was
 * applied so far: discard it.
 */
export async function restoreFromSealedRun(provider: EventStoreProvider, instanceId: string, runId: string, target: RestoreTarget): Promise<RestoreReport> {
  let applied = 0;
  let ignored = 0;
  const { manifest, plan } = await readRestoreSource(provider, instanceId, runId, {
    anchor: (anchor) => restoreSnapshot(target, anchor),
    entry: async (entry) => {
      if (await target.applyEntry(entry)) applied++;
      else ignored++;
    },
  });
  const report: RestoreReport = { manifest, fromSeq: plan.fromSeq, toSeq: plan.toSeq, applied, ignored };
  if (plan.anchor !== undefined) report.anchor = plan.anchor;
  return report;
}

/**
 * Does every store read of `restoreFromSealedRun` and discards the rows (the snapshot blob is
 * the caller's, not the store's, and is not read). Run in a child process before a restore, it
 * tells whether those reads bring their process down. Returns how many entries it read.
 */
export async function probeRestoreSource(provider: EventStoreProvider, instanceId: string, runId: string): Promise<number> {
  let entries = 0;
  await readRestoreSource(provider, instanceId, runId, { anchor: async () => {}, entry: async () => void entries++ });
  return entries;
}

/**
 * `probeRestoreSource` in a child process built from `isolation`: resolves when a restore from
 * this run can read it in-process without dying; a run whose reads kill the child rejects with
 * CORRUPTED naming the run. Costs one child process (a few hundred milliseconds).
 */
export async function probeRestoreSourceIsolated(
  isolation: ReaderIsolation,
  instanceId: string,
  runId: string,
  log: (line: string) => void = () => {},
): Promise<void> {
  await runInReaderProcess<number>(isolation, { kind: 'probe-restore', instanceId, runId }, `${runId} of instance ${instanceId}`, log);
}
