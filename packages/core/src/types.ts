/**
 * The tapelog data model: entries, drafts, index keys, run manifests, snapshot anchors and the
 * clock every time-stamping component takes.
 */

/** Correlation metadata of an entry: canonical lowercase UUID (version 4) text. */
export interface Headers {
  correlationId?: string;
  causationId?: string;
}

/** One captured message plus its metadata: one row of a run's log. */
export interface EventStoreEntry {
  /** BLAKE3 over the canonical layout of the other fields (see `computeEntryHash`). */
  entryHash: Uint8Array;
  /** Per-run sequence, 1, 2, 3 … without gaps; the only replay order. */
  seq: number;
  headers: Headers;
  topic: string;
  payloadType: string;
  payload: Uint8Array;
  /** Domain timestamp from the producer, nanoseconds since the Unix epoch. */
  tsInit: bigint;
  /** When the writer received the entry, nanoseconds since the Unix epoch. */
  tsPublish: bigint;
}

/** A secondary index key. First write wins per (kind, key). */
export interface IndexKey {
  kind: string;
  key: string;
}

export const INDEX_KIND_CLIENT_ORDER_ID = 'client_order_id';
export const INDEX_KIND_VENUE_ORDER_ID = 'venue_order_id';

/** What a producer submits to a writer; the writer adds seq, tsPublish and the hash. */
export interface EntryDraft {
  headers: Headers;
  topic: string;
  payloadType: string;
  payload: Uint8Array;
  tsInit: bigint;
  indexKeys: readonly IndexKey[];
}

/** What a backend receives: a complete entry and the index keys to record with it. */
export interface AppendEntry {
  entry: EventStoreEntry;
  indexKeys: readonly IndexKey[];
}

export type RunStatus = 'Running' | 'Ended' | 'CrashedRecovered' | 'Quarantined';
export type SealedRunStatus = Exclude<RunStatus, 'Running'>;

/** Declaration order is the on-disk ordinal order. */
export const RUN_STATUSES: readonly RunStatus[] = ['Running', 'Ended', 'CrashedRecovered', 'Quarantined'];

export interface RegisteredComponents {
  actors: Record<string, string>;
  strategies: Record<string, string>;
  algorithms: Record<string, string>;
  subscriptions: string[];
  endpoints: string[];
}

export interface RunManifest {
  runId: string;
  parentRunId?: string;
  instanceId: string;
  binaryHash: string;
  schemaVersion: number;
  packageVersions: string;
  featureFlags: string[];
  adapterVersions: Record<string, string>;
  configHash: string;
  registeredComponents: RegisteredComponents;
  seed?: bigint;
  startTsInit: bigint;
  endTsInit?: bigint;
  highWatermark: number;
  status: RunStatus;
  /** Hex of the running chain hash at the high-watermark, stored at seal. */
  chainHead?: string;
  /**
   * What the run commits to beyond its entries (index rows, snapshot anchor), stored at seal.
   * Absent on runs sealed before manifest record version 2, or sealed without it.
   */
  integrity?: RunIntegrity;
}

/** The digest and row count of every row of one index kind, as stored at seal. */
export interface IndexKindCommitment {
  rows: number;
  /** Hex BLAKE3 over the kind's rows in key byte order (see `computeIndexKindDigest`). */
  digest: string;
}

/** A sealed run's commitment to its rows that the entry chain does not cover. */
export interface RunIntegrity {
  /** Every index kind the run holds, by kind. */
  indexKinds: Record<string, IndexKindCommitment>;
  /** Hex BLAKE3 of the encoded latest snapshot anchor; null when the run has none. */
  anchor: string | null;
}

/** Where a cache snapshot sits in the log: it covers every entry up to `highWatermark`. */
export interface SnapshotAnchor {
  highWatermark: number;
  blobRef: string;
  contentHash: string;
}

export type ScanDirection = 'forward' | 'reverse';

/** Nanoseconds since the Unix epoch. */
export interface Clock {
  now(): bigint;
}
