/**
 * The storage contract: an `EventStore` is one open run, an `EventStoreProvider` is one storage
 * location holding many runs. Backends implement both; everything above talks only to these.
 */
import type { AppendEntry, EventStoreEntry, RunIntegrity, RunManifest, ScanDirection, SealedRunStatus, SnapshotAnchor } from './types.js';

/** What a backend declares about itself; the conformance suite gates optional areas on it. */
export interface BackendCapabilities {
  /** Runs survive the provider instance (and the process): a new provider over the same options sees them. */
  readonly persistent: boolean;
  /** `recordSnapshotAnchor` and `latestSnapshotAnchor` are implemented. */
  readonly snapshotAnchors: boolean;
  /** `openSealed` is implemented. */
  readonly readOnlyOpen: boolean;
  /** The provider offers `tamper` hooks for gap and corruption tests. */
  readonly tamper: boolean;
  /**
   * `appendBatch` may be called again before the previous call settles. Calls are applied one
   * at a time in call order, each against the high-watermark the earlier ones left, so a call
   * made after a failed one fails too and nothing of it lands. Writers use it to prepare the
   * next batch while one is being made durable. Absent means false.
   */
  readonly pipelinedAppends?: boolean;
  /**
   * The provider offers `faults` hooks: the conformance suite makes a commit fail and checks
   * that nothing was acknowledged. Absent means false.
   */
  readonly faultInjection?: boolean;
  /**
   * Sealing with an integrity commitment also stores the index ledger, a copy of every index row
   * as sealed, and `sealedIndexRows` reads it back: verify then names each row that vanished or
   * changed instead of only its kind. Absent means false.
   */
  readonly indexLedger?: boolean;
}

/** What `scanEntryHashes` returns. */
export interface EntryHashRange {
  /** The first seq covered. */
  readonly from: number;
  /** The last seq covered: `to` clipped to the high-watermark, `from - 1` when none is. */
  readonly to: number;
  /** The stored entry hash of each seq `from..to`, 32 bytes each. */
  readonly hashes: Uint8Array;
  /** The smallest and largest tsInit of the range (undefined when it is empty). */
  readonly minTsInit: bigint | undefined;
  readonly maxTsInit: bigint | undefined;
}

/** What `scanRecords` returns. */
export interface EntryRecordRange {
  /** The first seq covered. */
  readonly from: number;
  /** The last seq covered: `to` clipped to the high-watermark, `from - 1` when none is. */
  readonly to: number;
  /** The stored records of `from..to`, back to back, each checked as `scanRange` checks it. */
  readonly bytes: Uint8Array;
  /** `to - from + 2` offsets into `bytes`: the record of seq `from + i` is `bytes[offsets[i] .. offsets[i + 1])`. */
  readonly offsets: Uint32Array;
}

export interface EventStore {
  readonly capabilities: BackendCapabilities;
  /** Where the run lives, for messages: a directory path or a `memory://` address. */
  readonly location: string;
  /** Atomically and durably appends a contiguous batch; returns the new high-watermark. */
  appendBatch(entries: readonly AppendEntry[]): Promise<number>;
  /** Inclusive range clipped to the high-watermark; `from == 0` gives nothing. Validated whole before anything is returned. */
  scanRange(from: number, to: number, direction?: ScanDirection): Promise<EventStoreEntry[]>;
  /**
   * Optional: the stored hashes of seqs `from..to` (clipped to the high-watermark), each record
   * checked exactly as `scanRange` checks it and failing with the same errors, without building
   * entries. For walks that need only the chain (verify). `AbstractEventStore` provides it and
   * checks the records on other cores; readers fall back to `scanRange` without it.
   */
  scanEntryHashes?(from: number, to: number): Promise<EntryHashRange>;
  /**
   * Optional: the stored records of seqs `from..to` (clipped to the high-watermark) in one
   * buffer, each checked exactly as `scanRange` checks it and failing with the same errors,
   * without building entries. For readers that work on record bytes (export). Same checks on
   * other cores as `scanEntryHashes`.
   */
  scanRecords?(from: number, to: number): Promise<EntryRecordRange>;
  /** The entry at `seq`, or undefined for 0 or beyond the high-watermark. */
  scanSeq(seq: number): Promise<EventStoreEntry | undefined>;
  /** The first seq recorded for (kind, key). */
  lookup(kind: string, key: string): Promise<number | undefined>;
  /**
   * Optional: `lookup` for many keys of one kind in one call, answers in the order of `keys`.
   * `AbstractEventStore` provides it; readers fall back to `lookup` per key without it.
   */
  lookupMany?(kind: string, keys: readonly string[]): Promise<Array<number | undefined>>;
  /**
   * Optional (`capabilities.indexLedger`): the rows of one index kind as they were when the run
   * was sealed with an integrity commitment, or undefined when no ledger was stored. CORRUPTED
   * when the ledger cannot be decoded. Compare with the committed digest before trusting it.
   */
  sealedIndexRows?(kind: string): Promise<Array<[key: string, seq: number]> | undefined>;
  /** Every (key, seq) pair of one index kind, in a backend-defined order. */
  iterIndexKeys(kind: string): Promise<Array<[key: string, seq: number]>>;
  /** Every index kind that holds at least one row, in any order. */
  indexKinds(): Promise<string[]>;
  recordSnapshotAnchor(anchor: SnapshotAnchor): Promise<void>;
  latestSnapshotAnchor(): Promise<SnapshotAnchor | undefined>;
  /**
   * Seals the run with a terminal status; returns the sealed manifest. `integrity` (from
   * `computeRunIntegrity`) is stored in the sealed manifest unchanged.
   */
  seal(status: SealedRunStatus, chainHead?: string, integrity?: RunIntegrity): Promise<RunManifest>;
  manifest(): Promise<RunManifest>;
  /** The largest durably acknowledged seq, 0 when nothing is committed. */
  highWatermark(): Promise<number>;
  /** Releases handles. Does not seal. Idempotent. */
  close(): Promise<void>;
}

/** Test hooks that damage a stored run directly. Call them only while no store of that run is open. */
export interface TamperHooks {
  /** Removes the stored row of one entry. */
  deleteEntry(instanceId: string, runId: string, seq: number): Promise<void>;
  /** Replaces the stored bytes of one entry. */
  overwriteEntry(instanceId: string, runId: string, seq: number, bytes: Uint8Array): Promise<void>;
  /** Replaces the stored bytes of the latest snapshot anchor. */
  overwriteAnchor(instanceId: string, runId: string, bytes: Uint8Array): Promise<void>;
  /** Removes the stored manifest. */
  deleteManifest(instanceId: string, runId: string): Promise<void>;
  /** Sets the store-format marker (`undefined` removes it). */
  setFormatMarker(instanceId: string, runId: string, version: number | undefined): Promise<void>;
}

/** Test hooks that make storage fail on purpose, as a full disk or a dying device would. */
export interface FaultHooks {
  /**
   * Makes the next durable commit of appended rows in this run fail (reject, nothing lands),
   * in the open store or the next store opened for it. Later commits succeed again.
   */
  failNextCommit(instanceId: string, runId: string): void;
}

export interface EventStoreProvider {
  readonly name: string;
  readonly capabilities: BackendCapabilities;
  /** Present when `capabilities.tamper` is true. */
  readonly tamper?: TamperHooks;
  /** Present when `capabilities.faultInjection` is true. */
  readonly faults?: FaultHooks;
  /** Creates a fresh run. CRASHED_PREDECESSOR when that run exists unsealed; RUN_SEALED when sealed. */
  openRun(manifest: RunManifest): Promise<EventStore>;
  /** Opens an unsealed run to scan and seal it; its high-watermark is recomputed from storage. RUN_NOT_FOUND, RUN_SEALED. */
  openForRecovery(instanceId: string, runId: string): Promise<EventStore>;
  /** Opens a sealed run read-only; every write is CLOSED. RUN_NOT_SEALED for a Running run, RUN_NOT_FOUND for a missing one. */
  openSealed(instanceId: string, runId: string): Promise<EventStore>;
  /** Every readable run of the instance sorted by startTsInit; damaged runs are skipped. */
  listRuns(instanceId: string): Promise<RunManifest[]>;
  /**
   * Optional, for backends whose runs can be left half-created by a kill: sets every run of the
   * instance that was never fully created aside (kept for an operator, never listed or retried
   * again) and returns their run ids with where they now are. Only the recovery sweep calls it;
   * listings never change what is on disk.
   */
  setAsideIncompleteRuns?(instanceId: string): Promise<Array<{ runId: string; location: string }>>;
  /**
   * Optional: marks a `Running` run that cannot be read without bringing its reader down as
   * Quarantined without opening it, so `listRuns` reports it Quarantined and no sweep retries it.
   * `listed` is the manifest `listRuns` returned for it. The recovery sweep calls it when reading
   * the run in a child process killed that child.
   */
  markUnreadableRunQuarantined?(listed: RunManifest): Promise<RunManifest>;
  /**
   * Optional, for backends whose storage can silently drop acknowledged rows while reopening a
   * crashed run (LevelDB skips damaged write-ahead-log records): what was dropped, as text, or
   * undefined. Asked after `openForRecovery`; a run with dropped rows is sealed Quarantined.
   */
  recoveryDamage?(instanceId: string, runId: string): Promise<string | undefined>;
}

/** What a backend package's `createProvider(options)` looks like. Options must be structured-cloneable. */
export type ProviderFactory<Options = unknown> = (options: Options) => EventStoreProvider;
