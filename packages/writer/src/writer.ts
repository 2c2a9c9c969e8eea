/** The interface both writers implement (README, "Interface"), and the options they are created with. */
import type { Clock, EntryDraft, EventStore, RunManifest, SnapshotAnchor } from '@tapelog/core';
import type { CommitStatistics } from './commit-statistics.js';
import type { WriterConfig } from './config.js';
import type { HaltCallback } from './halt.js';

export interface EventStoreWriter {
  /** Accepts a draft and returns its seq. Synchronous; throws SubmitError once halted or closed. */
  submit(draft: EntryDraft): number;
  /** The durable high-watermark, read without a message round trip. */
  readonly highWatermark: number;
  /**
   * The seq of the newest accepted entry (the durable hwm when none was accepted since open):
   * `acceptedSeq - highWatermark` is the backlog waiting for durability.
   */
  readonly acceptedSeq: number;
  /** Resolves once `seq` is durable; rejects with TIMEOUT, or when the writer can no longer make it durable. */
  waitForDurable(seq: number, options?: { timeoutMs?: number }): Promise<void>;
  /**
   * Flushes everything submitted before, then anchors a snapshot: at the durable hwm reached
   * there, or at `coversSeq` when given (the snapshot covers entries up to that seq, at most
   * `acceptedSeq` when called). The explicit form lets a caller take a snapshot, keep
   * submitting while the snapshot's blob is made durable elsewhere, and anchor it afterwards.
   */
  recordSnapshotAnchor(blobRef: string, contentHash: string, coversSeq?: number): Promise<SnapshotAnchor>;
  /** Drains, appends RunEnded, seals the run `Ended` with the chain head; returns the sealed manifest. */
  close(runEnded: EntryDraft): Promise<RunManifest>;
  /**
   * Commits what was accepted and ends the writer without sealing: the run stays Running, as
   * after a crash, for the next boot's recovery. Returns the final durable hwm.
   */
  abandon(): Promise<number>;
  /**
   * Ends the writer at once without waiting for its backend: for a backend that stopped
   * answering, where close and abandon would wait forever. What was durable stays durable; a
   * batch in flight lands whole or not at all; the run stays Running for the next boot's
   * recovery. Every later call is refused; pending waits reject. Idempotent; no halt fires.
   */
  terminate(): Promise<void>;
  /** True once a halt fired or the writer can no longer commit. */
  readonly halted: boolean;
  /** Commits so far, the largest batch and commit latency p50/p99 (readable at any time, also after close). */
  commitStatistics(): CommitStatistics;
}

/** Where the worker writer finds its backend: a module exporting `createProvider(options)`. */
export interface BackendModuleSpec {
  /**
   * A package name (`@tapelog/backend-level`), a file URL, or a path: `./x.js` and `../x.js` are
   * taken from the working directory, not from the writer's own files. For a module beside the
   * caller pass `new URL('./x.js', import.meta.url).href`. A package name is imported from the
   * writer package, so it must be installed where the writer can see it (npm and yarn do that;
   * with pnpm, depend on it or pass `import.meta.resolve('<name>')`).
   */
  module: string;
  /** Plain data (structured-cloneable) passed to `createProvider`. */
  options?: unknown;
}

export interface SpawnWriterOptions {
  backend: BackendModuleSpec;
  /** The manifest of the run to open (`provider.openRun(manifest)`). */
  manifest: RunManifest;
  config?: Partial<WriterConfig>;
  onHalt?: HaltCallback;
  clock: Clock;
}

export interface InlineWriterOptions {
  /** An open run; the writer owns it until close. */
  store: EventStore;
  config?: Partial<WriterConfig>;
  onHalt?: HaltCallback;
  clock: Clock;
}
