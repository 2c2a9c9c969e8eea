/**
 * One open run on PostgreSQL: `PostgresEventStore` implements the `EventStore` contract. Every
 * batch is one statement (one transaction) guarded by the run's head seq and writer epoch, so a
 * writer that lost its run to a recovery elsewhere is FENCED instead of interleaved; every read
 * re-checks gaps, decoding and entry hashes.
 */
import {
  RUN_STATUSES,
  TapelogError,
  assertSeq,
  assertValidAnchorShape,
  assertValidIndexKey,
  assertValidIndexKind,
  backendError,
  cloneManifest,
  closedError,
  corruptedError,
  decodeAnchor,
  decodeCheckedEntry,
  encodeAnchor,
  encodeEntry,
  encodeManifest,
  fencedError,
  isSealed,
  missingRowError,
  outOfOrderError,
  sealedManifest,
  validateSnapshotAnchor,
  validateStoredRange,
  type AppendEntry,
  type BackendCapabilities,
  type EventStore,
  type EventStoreEntry,
  type RunIntegrity,
  type RunManifest,
  type RunStatus,
  type ScanDirection,
  type SealedRunStatus,
  type SnapshotAnchor,
} from '@tapelog/core';
import { isConnectionLoss } from './error-mapping.js';
import type { Queryable, Tables } from './schema.js';

/** What the PostgreSQL backend declares: everything, including tamper hooks for tests. */
export const capabilities: BackendCapabilities = Object.freeze({
  persistent: true,
  snapshotAnchors: true,
  readOnlyOpen: true,
  tamper: true,
  pipelinedAppends: true,
});

/** Rows fetched per keyset page of a scan: bounds memory per round trip on huge ranges. */
export const SCAN_PAGE_ROWS = 20_000;

/** A batch encoded ahead of its write. */
interface PreparedBatch {
  entries: Buffer[];
  kinds: string[];
  keys: Buffer[];
  indexSeqs: number[];
  maxTsInit: bigint;
}

/** What a store needs from its provider: where to query, how to name things, how to map errors. */
export interface StoreContext {
  tables: Tables;
  /** Maps a failure to a TapelogError naming `operation` and this run, password-free. */
  mapError(error: unknown, operation: string, location: string): TapelogError;
  /** A fresh query path (the provider's pool), for classifying a failure after the store's own session died. */
  pool: Queryable;
}

export interface PostgresEventStoreState {
  context: StoreContext;
  /** The store's own session (a dedicated client holding the run's liveness lock), or the pool for read-only stores. */
  session: Queryable;
  /** Ends the dedicated session (releasing the liveness lock); absent for read-only stores. */
  release?: () => Promise<void>;
  /** Reports whether the dedicated session is known to be gone. */
  sessionLost?: () => unknown;
  location: string;
  runKey: number;
  epoch: number;
  manifest: RunManifest;
  highWatermark: number;
  maxTsInit: bigint;
  readOnly: boolean;
  onClose?: () => void;
}

export class PostgresEventStore implements EventStore {
  readonly capabilities: BackendCapabilities = capabilities;
  readonly location: string;
  readonly #context: StoreContext;
  readonly #tables: Tables;
  readonly #session: Queryable;
  readonly #release: (() => Promise<void>) | undefined;
  readonly #sessionLost: () => unknown;
  readonly #runKey: number;
  readonly #epoch: number;
  readonly #readOnly: boolean;
  readonly #onClose: (() => void) | undefined;
  #manifest: RunManifest;
  #highWatermark: number;
  #maxTsInit: bigint;
  /** Set once a write was refused for good (fenced or session lost): every later write repeats it. */
  #failure: TapelogError | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(state: PostgresEventStoreState) {
    this.#context = state.context;
    this.#tables = state.context.tables;
    this.#session = state.session;
    this.#release = state.release;
    this.#sessionLost = state.sessionLost ?? (() => undefined);
    this.location = state.location;
    this.#runKey = state.runKey;
    this.#epoch = state.epoch;
    this.#readOnly = state.readOnly;
    this.#onClose = state.onClose;
    this.#manifest = cloneManifest(state.manifest);
    this.#manifest.highWatermark = isSealed(state.manifest.status) ? state.manifest.highWatermark : state.highWatermark;
    this.#highWatermark = state.highWatermark;
    this.#maxTsInit = state.maxTsInit;
  }

  /** The writer epoch this store writes under; a recovery elsewhere bumps the stored one. */
  get epoch(): number {
    return this.#epoch;
  }

  get status(): RunStatus {
    return this.#manifest.status;
  }

  async appendBatch(entries: readonly AppendEntry[]): Promise<number> {
    if (!Array.isArray(entries)) throw new TypeError('appendBatch expects an array of entries');
    let prepared: PreparedBatch | undefined;
    if (entries.length > 0 && !this.#closed) {
      this.#assertWritable();
      prepared = this.#prepare(entries);
    }
    return this.#exclusive(() => this.#append(entries, prepared));
  }

  async scanRange(from: number, to: number, direction: ScanDirection = 'forward'): Promise<EventStoreEntry[]> {
    assertSeq('from', from);
    assertSeq('to', to);
    if (direction !== 'forward' && direction !== 'reverse') throw new TypeError(`direction must be 'forward' or 'reverse', got ${String(direction)}`);
    const read = await this.#exclusive(() => this.#readRange(from, to));
    if (read === undefined) return [];
    const entries = validateStoredRange(read.lo, read.hi, read.rows, direction);
    for (const entry of entries) this.#assertStoredUnder(entry, entry.seq);
    return entries;
  }

  async scanSeq(seq: number): Promise<EventStoreEntry | undefined> {
    assertSeq('seq', seq);
    return this.#exclusive(async () => {
      if (seq === 0 || seq > this.#highWatermark) return undefined;
      const { rows } = await this.#query(`SELECT entry FROM ${this.#tables.entries} WHERE run = $1 AND seq = $2`, [this.#runKey, seq], `read entry seq=${seq} of run`);
      if (rows.length === 0) throw missingRowError(seq);
      return this.#assertStoredUnder(decodeCheckedEntry(rows[0].entry as Buffer, seq), seq);
    });
  }

  async lookup(kind: string, key: string): Promise<number | undefined> {
    assertValidIndexKey({ kind, key });
    return this.#exclusive(async () => {
      const { rows } = await this.#query(`SELECT seq FROM ${this.#tables.indexRows} WHERE run = $1 AND kind = $2 AND key = $3`, [this.#runKey, kind, Buffer.from(key, 'utf8')], `look up ${kind} in run`);
      return rows.length === 0 ? undefined : Number(rows[0].seq);
    });
  }

  async iterIndexKeys(kind: string): Promise<Array<[key: string, seq: number]>> {
    assertValidIndexKind(kind);
    return this.#exclusive(async () => {
      const { rows } = await this.#query(`SELECT key, seq FROM ${this.#tables.indexRows} WHERE run = $1 AND kind = $2 ORDER BY key`, [this.#runKey, kind], `read index ${kind} of run`);
      return rows.map((row): [string, number] => [(row.key as Buffer).toString('utf8'), Number(row.seq)]);
    });
  }

  async indexKinds(): Promise<string[]> {
    return this.#exclusive(async () => {
      const { rows } = await this.#query(`SELECT DISTINCT kind FROM ${this.#tables.indexRows} WHERE run = $1`, [this.#runKey], 'list index kinds of run');
      return rows.map((row) => row.kind as string);
    });
  }

  async recordSnapshotAnchor(anchor: SnapshotAnchor): Promise<void> {
    assertValidAnchorShape(anchor);
    return this.#exclusive(async () => {
      this.#assertWritable();
      validateSnapshotAnchor(anchor, this.#highWatermark, await this.#readAnchor());
      const t = this.#tables;
      const { rows } = await this.#query(
        `WITH owner AS (SELECT id FROM ${t.runs} WHERE id = $1 AND epoch = $2 AND state = 'open')
         INSERT INTO ${t.anchors} (run, anchor) SELECT id, $3 FROM owner
         ON CONFLICT (run) DO UPDATE SET anchor = EXCLUDED.anchor RETURNING run`,
        [this.#runKey, this.#epoch, Buffer.from(encodeAnchor(anchor))],
        'record snapshot anchor of run',
      );
      if (rows.length === 0) throw await this.#refusal('record a snapshot anchor');
    });
  }

  async latestSnapshotAnchor(): Promise<SnapshotAnchor | undefined> {
    return this.#exclusive(() => this.#readAnchor());
  }

  async seal(status: SealedRunStatus, chainHead?: string, integrity?: RunIntegrity): Promise<RunManifest> {
    if ((status as string) === 'Running') throw backendError(`seal status must be a terminal state, was Running (run ${this.location})`);
    if (!RUN_STATUSES.includes(status)) throw new TypeError(`seal status must be one of Ended, CrashedRecovered, Quarantined, got ${String(status)}`);
    if (chainHead !== undefined && typeof chainHead !== 'string') throw new TypeError('chainHead must be a string when given');
    return this.#exclusive(async () => {
      this.#assertWritable();
      const sealed = sealedManifest(this.#manifest, status, this.#highWatermark, this.#maxTsInit, chainHead, integrity);
      const { rowCount } = await this.#query(
        `UPDATE ${this.#tables.runs} SET state = 'sealed', manifest = $3 WHERE id = $1 AND epoch = $2 AND state = 'open' AND head_seq = $4`,
        [this.#runKey, this.#epoch, Buffer.from(encodeManifest(sealed)), this.#highWatermark],
        `seal (${status})`,
      );
      if (rowCount !== 1) throw await this.#refusal(`seal it ${status}`);
      this.#manifest = sealed;
      return cloneManifest(sealed);
    });
  }

  async manifest(): Promise<RunManifest> {
    return this.#exclusive(async () => cloneManifest(this.#manifest));
  }

  async highWatermark(): Promise<number> {
    return this.#exclusive(async () => this.#highWatermark);
  }

  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    this.#closed = true;
    this.#closing = this.#queue.then(async () => {
      try {
        await this.#release?.();
      } finally {
        this.#onClose?.();
      }
    });
    return this.#closing;
  }

  #exclusive<T>(operation: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(closedError(`run is closed: the store of ${this.location} was closed; open the run again to use it`));
    const result = this.#queue.then(operation);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  #assertWritable(): void {
    if (this.#readOnly) throw closedError(`run is closed: ${this.location} accepts no writes because it was opened read-only with openSealed`);
    if (isSealed(this.#manifest.status)) throw closedError(`run is closed: ${this.location} accepts no writes because it is sealed (status ${this.#manifest.status})`);
    if (this.#failure !== undefined) throw this.#failure;
  }

  async #query(text: string, values: unknown[], operation: string): Promise<{ rows: any[]; rowCount: number | null }> {
    try {
      return await this.#session.query(text, values);
    } catch (error) {
      throw this.#context.mapError(error, operation, this.location);
    }
  }

  /** Encodes entries and dedupes index rows (first write wins inside the batch too); pure. */
  #prepare(entries: readonly AppendEntry[]): PreparedBatch {
    const encoded: Buffer[] = new Array(entries.length);
    const seen = new Set<string>();
    const prepared: PreparedBatch = { entries: encoded, kinds: [], keys: [], indexSeqs: [], maxTsInit: 0n };
    for (let i = 0; i < entries.length; i++) {
      const { entry, indexKeys } = entries[i]!;
      try {
        const bytes = encodeEntry(entry);
        encoded[i] = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      } catch (error) {
        throw backendError(`encode entry seq=${entry.seq}: ${(error as Error).message} (run ${this.location})`, error);
      }
      if (entry.tsInit > prepared.maxTsInit) prepared.maxTsInit = entry.tsInit;
      for (const index of indexKeys) {
        assertValidIndexKey(index);
        const name = `${index.kind}\u0000${index.key}`;
        if (seen.has(name)) continue;
        seen.add(name);
        prepared.kinds.push(index.kind);
        prepared.keys.push(Buffer.from(index.key, 'utf8'));
        prepared.indexSeqs.push(entry.seq);
      }
    }
    return prepared;
  }

  async #append(entries: readonly AppendEntry[], prepared: PreparedBatch | undefined): Promise<number> {
    this.#assertWritable();
    if (prepared === undefined) return this.#highWatermark;
    const durable = this.#highWatermark;
    for (let i = 0; i < entries.length; i++) {
      const seq = entries[i]!.entry.seq;
      if (seq !== durable + 1 + i) throw outOfOrderError(durable, seq);
    }
    const last = durable + entries.length;
    const t = this.#tables;
    const maxTsInit = prepared.maxTsInit > this.#maxTsInit ? prepared.maxTsInit : this.#maxTsInit;
    // One statement is one transaction: the guard moves head_seq only when this writer still
    // owns the run at the expected head; the inserts join the guard, so they land only with it.
    const statement = `WITH guard AS (
        UPDATE ${t.runs} SET head_seq = $4, max_ts_init = GREATEST(max_ts_init, $5::numeric)
        WHERE id = $1 AND head_seq = $2 AND epoch = $3 AND state = 'open' RETURNING id
      ), put_entries AS (
        INSERT INTO ${t.entries} (run, seq, entry)
        SELECT guard.id, $2 + e.n, e.entry FROM guard, unnest($6::bytea[]) WITH ORDINALITY AS e(entry, n)
      ), put_index AS (
        INSERT INTO ${t.indexRows} (run, kind, key, seq)
        SELECT guard.id, i.kind, i.key, i.seq FROM guard, unnest($7::text[], $8::bytea[], $9::bigint[]) AS i(kind, key, seq)
        ON CONFLICT DO NOTHING
      )
      SELECT count(*)::int AS moved FROM guard`;
    const operation = `append seq ${durable + 1}..${last} to run`;
    let moved: number;
    try {
      const { rows } = await this.#session.query(statement, [this.#runKey, durable, this.#epoch, last, maxTsInit.toString(), prepared.entries, prepared.kinds, prepared.keys, prepared.indexSeqs]);
      moved = rows[0].moved as number;
    } catch (error) {
      if (isConnectionLoss(error) || this.#sessionLost() !== undefined) throw await this.#refusal(`append seq ${durable + 1}..${last}`, error);
      throw this.#context.mapError(error, operation, this.location);
    }
    if (moved !== 1) throw await this.#refusal(`append seq ${durable + 1}..${last}`);
    this.#highWatermark = last;
    this.#maxTsInit = maxTsInit;
    this.#manifest.highWatermark = last;
    return last;
  }

  /**
   * Why a guarded write did not land, read on a fresh connection: FENCED when the run was
   * recovered or sealed by someone else (the epoch moved), OUT_OF_ORDER when only the head
   * differs, BACKEND when this store's session died. Fencing and a lost session are final.
   */
  async #refusal(what: string, cause?: unknown): Promise<TapelogError> {
    let stored: { epoch: number; state: string; head: number } | undefined;
    try {
      const { rows } = await this.#context.pool.query(`SELECT epoch, state, head_seq FROM ${this.#tables.runs} WHERE id = $1`, [this.#runKey]);
      if (rows.length > 0) stored = { epoch: Number(rows[0].epoch), state: rows[0].state as string, head: Number(rows[0].head_seq) };
    } catch {
      // The server is unreachable: fall through to the session error below.
    }
    let failure: TapelogError;
    if (stored !== undefined && (stored.epoch !== this.#epoch || stored.state !== 'open')) {
      failure = fencedError(this.location, `could not ${what}: the run now has writer epoch ${stored.epoch} (state ${stored.state}) and this writer holds epoch ${this.#epoch}; it was recovered or sealed elsewhere`);
    } else if (cause !== undefined) {
      const mapped = this.#context.mapError(cause, `${what} of run`, this.location);
      failure = backendError(`${mapped.detail}; the connection holding this writer's liveness lock is gone, so the run may be recovered elsewhere: the writer must stop (the run stays Running for the recovery sweep)`, cause);
    } else if (stored !== undefined) {
      return outOfOrderError(stored.head, this.#highWatermark + 1);
    } else {
      failure = backendError(`could not ${what} of run ${this.location}: the run row is gone or the server is unreachable`);
    }
    this.#failure = failure;
    return failure;
  }

  async #readRange(from: number, to: number): Promise<{ lo: number; hi: number; rows: Array<[number, Uint8Array]> } | undefined> {
    const hi = Math.min(to, this.#highWatermark);
    if (from === 0 || from > hi) return undefined;
    const rows: Array<[number, Uint8Array]> = [];
    let after = from - 1;
    // Keyset pages: each page starts after the last seq read, so a huge range never sits in one result.
    for (;;) {
      const page = await this.#query(
        `SELECT seq, entry FROM ${this.#tables.entries} WHERE run = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT ${SCAN_PAGE_ROWS}`,
        [this.#runKey, after, hi],
        `scan seq ${from}..${hi} of run`,
      );
      for (const row of page.rows) rows.push([Number(row.seq), row.entry as Buffer]);
      if (page.rows.length < SCAN_PAGE_ROWS) break;
      after = rows[rows.length - 1]![0];
    }
    return { lo: from, hi, rows };
  }

  /** A valid entry stored under another seq must not pass as that seq. */
  #assertStoredUnder(entry: EventStoreEntry, seq: number): EventStoreEntry {
    if (entry.seq !== seq) throw corruptedError(`entry stored under seq=${seq} claims seq=${entry.seq} in run ${this.location}; quarantine the run and verify it`, { seq });
    return entry;
  }

  async #readAnchor(): Promise<SnapshotAnchor | undefined> {
    const { rows } = await this.#query(`SELECT anchor FROM ${this.#tables.anchors} WHERE run = $1`, [this.#runKey], 'read snapshot anchor of run');
    if (rows.length === 0) return undefined;
    try {
      return decodeAnchor(rows[0].anchor as Buffer);
    } catch (error) {
      const detail = TapelogError.isInstance(error) ? error.detail : String(error);
      throw corruptedError(`${detail} (run ${this.location})`, { cause: error });
    }
  }
}
