/**
 * One open run on PostgreSQL: `PostgresEventStore` implements the storage primitives of
 * `AbstractEventStore`, which enforces the contract (contiguity, first-write-wins, anchor and
 * seal rules, hash checks on read). Every batch is one statement (one transaction) guarded by
 * the run's head seq and writer epoch, so a writer that lost its run to a recovery elsewhere is
 * FENCED instead of interleaved.
 */
import { type BackendCapabilities, backendError, fencedError, outOfOrderError, type RunManifest, type TapelogError } from '@tapelog/core';
import { AbstractEventStore, type CommitFaults, type PreparedBatch, type StoredRow, type StoreInit } from '@tapelog/core/backend';
import { isConnectionLoss } from './error-mapping.js';
import type { Queryable, Tables } from './schema.js';

/** What the PostgreSQL backend declares: everything, including tamper and fault hooks for tests. */
export const capabilities: BackendCapabilities = Object.freeze({
  persistent: true,
  snapshotAnchors: true,
  readOnlyOpen: true,
  tamper: true,
  pipelinedAppends: true,
  faultInjection: true,
  indexLedger: true,
});

/** Rows fetched per keyset page of a scan: bounds memory per round trip on huge ranges. */
export const SCAN_PAGE_ROWS = 20_000;

/** What a store needs from its provider: where to query, how to name things, how to map errors. */
export interface StoreContext {
  tables: Tables;
  /** Maps a failure to a TapelogError naming `operation` and this run, password-free. */
  mapError(error: unknown, operation: string, location: string): TapelogError;
  /** A fresh query path (the provider's pool), for classifying a failure after the store's own session died. */
  pool: Queryable;
  /** Commit failures armed by the conformance suite's fault hooks. */
  faults: CommitFaults;
}

export interface PostgresEventStoreState extends StoreInit {
  context: StoreContext;
  /** The store's own session (a dedicated client holding the run's liveness lock), or the pool for read-only stores. */
  session: Queryable;
  /** Ends the dedicated session (releasing the liveness lock); absent for read-only stores. */
  release?: () => Promise<void>;
  /** The failure that ended the dedicated session, once it ended. */
  sessionLost?: () => unknown;
  runKey: number;
  epoch: number;
  onClose?: () => void;
}

export class PostgresEventStore extends AbstractEventStore {
  readonly capabilities: BackendCapabilities = capabilities;
  readonly #context: StoreContext;
  readonly #tables: Tables;
  readonly #session: Queryable;
  readonly #release: (() => Promise<void>) | undefined;
  readonly #sessionLost: () => unknown;
  readonly #runKey: number;
  readonly #epoch: number;
  readonly #onClose: (() => void) | undefined;
  /** Set once a write was refused for good (fenced or session lost): every later write repeats it. */
  #failure: TapelogError | undefined;

  constructor(state: PostgresEventStoreState) {
    super(state);
    this.#context = state.context;
    this.#tables = state.context.tables;
    this.#session = state.session;
    this.#release = state.release;
    this.#sessionLost = state.sessionLost ?? (() => undefined);
    this.#runKey = state.runKey;
    this.#epoch = state.epoch;
    this.#onClose = state.onClose;
  }

  /** The writer epoch this store writes under; a recovery elsewhere bumps the stored one. */
  get epoch(): number {
    return this.#epoch;
  }

  protected async _appendRows(batch: PreparedBatch): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    this.#context.faults.take(this.location);
    const t = this.#tables;
    // The batch's records travel as one binary parameter that SQL cuts apart by offset and
    // length: about twice the rate of a bytea[] parameter, whose text form hex-encodes every byte.
    const offsets: number[] = new Array(batch.records.length);
    const lengths: number[] = new Array(batch.records.length);
    let offset = 0;
    for (let i = 0; i < batch.records.length; i++) {
      offsets[i] = offset;
      lengths[i] = batch.records[i]!.length;
      offset += lengths[i]!;
    }
    const kinds = batch.indexRows.map((row) => row.kind);
    const keys = batch.indexRows.map((row) => Buffer.from(row.key, 'utf8'));
    const indexSeqs = batch.indexRows.map((row) => row.seq);
    const expected = batch.firstSeq - 1;
    // One statement is one transaction: the guard moves head_seq only when this writer still
    // owns the run at the expected head; the inserts join the guard, so they land only with it.
    const statement = `WITH guard AS (
        UPDATE ${t.runs} SET head_seq = $4, max_ts_init = GREATEST(max_ts_init, $5::numeric)
        WHERE id = $1 AND head_seq = $2 AND epoch = $3 AND state = 'open' RETURNING id
      ), put_entries AS (
        INSERT INTO ${t.entries} (run, seq, entry)
        SELECT guard.id, $2 + e.n, substring($6::bytea FROM e.o + 1 FOR e.l) FROM guard, unnest($10::int[], $11::int[]) WITH ORDINALITY AS e(o, l, n)
      ), put_index AS (
        INSERT INTO ${t.indexRows} (run, kind, key, seq)
        SELECT guard.id, i.kind, i.key, i.seq FROM guard, unnest($7::text[], $8::bytea[], $9::bigint[]) AS i(kind, key, seq)
        ON CONFLICT DO NOTHING
      )
      SELECT count(*)::int AS moved FROM guard`;
    const what = `append seq ${batch.firstSeq}..${batch.lastSeq}`;
    const { rows } = await this.#query(
      statement,
      [
        this.#runKey,
        expected,
        this.#epoch,
        batch.lastSeq,
        batch.maxTsInit.toString(),
        Buffer.concat(batch.records, offset),
        kinds,
        keys,
        indexSeqs,
        offsets,
        lengths,
      ],
      `${what} to run`,
    );
    const moved = rows[0].moved as number;
    if (moved !== 1) throw await this.#refusal(what, expected);
  }

  protected async _readRange(lo: number, hi: number): Promise<StoredRow[]> {
    const rows: StoredRow[] = [];
    let after = lo - 1;
    // Keyset pages: each page starts after the last seq read, so a huge range never sits in one result.
    for (;;) {
      const page = await this.#query(
        `SELECT seq, entry FROM ${this.#tables.entries} WHERE run = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT ${SCAN_PAGE_ROWS}`,
        [this.#runKey, after, hi],
        `scan seq ${lo}..${hi} of run`,
      );
      for (const row of page.rows) rows.push([Number(row.seq), row.entry as Buffer]);
      if (page.rows.length < SCAN_PAGE_ROWS) return rows;
      after = rows[rows.length - 1]![0];
    }
  }

  protected async _readSeq(seq: number): Promise<Uint8Array | undefined> {
    const { rows } = await this.#query(
      `SELECT entry FROM ${this.#tables.entries} WHERE run = $1 AND seq = $2`,
      [this.#runKey, seq],
      `read entry seq=${seq} of run`,
    );
    return rows.length === 0 ? undefined : (rows[0].entry as Buffer);
  }

  protected async _readIndexSeqs(keys: ReadonlyArray<{ kind: string; key: string }>): Promise<Array<number | undefined>> {
    const { rows } = await this.#query(
      `SELECT q.n, r.seq FROM unnest($2::text[], $3::bytea[]) WITH ORDINALITY AS q(kind, key, n)
       JOIN ${this.#tables.indexRows} r ON r.run = $1 AND r.kind = q.kind AND r.key = q.key`,
      [this.#runKey, keys.map((item) => item.kind), keys.map((item) => Buffer.from(item.key, 'utf8'))],
      'look up index keys of run',
    );
    const found: Array<number | undefined> = new Array(keys.length).fill(undefined);
    for (const row of rows) found[Number(row.n) - 1] = Number(row.seq);
    return found;
  }

  protected async _readIndexRows(kind: string): Promise<Array<[key: string, seq: number]>> {
    const { rows } = await this.#query(
      `SELECT key, seq FROM ${this.#tables.indexRows} WHERE run = $1 AND kind = $2 ORDER BY key`,
      [this.#runKey, kind],
      `read index ${kind} of run`,
    );
    return rows.map((row): [string, number] => [(row.key as Buffer).toString('utf8'), Number(row.seq)]);
  }

  protected async _readIndexKinds(): Promise<string[]> {
    const { rows } = await this.#query(`SELECT DISTINCT kind FROM ${this.#tables.indexRows} WHERE run = $1`, [this.#runKey], 'list index kinds of run');
    return rows.map((row) => row.kind as string);
  }

  protected override _readAnchorRecord(): Promise<Uint8Array | undefined> {
    return this.#readRunRecord(this.#tables.anchors, 'anchor', 'read snapshot anchor of run');
  }

  protected override _writeAnchorRecord(record: Uint8Array): Promise<void> {
    return this.#writeRunRecord(this.#tables.anchors, 'anchor', record, 'record snapshot anchor');
  }

  protected override _readIndexLedger(): Promise<Uint8Array | undefined> {
    return this.#readRunRecord(this.#tables.indexLedgers, 'ledger', 'read index ledger of run');
  }

  protected override _writeIndexLedger(record: Uint8Array): Promise<void> {
    return this.#writeRunRecord(this.#tables.indexLedgers, 'ledger', record, 'store the index ledger');
  }

  /** The one `column` value of this run in a table keyed by run (anchors, index ledgers), or undefined. */
  async #readRunRecord(table: string, column: 'anchor' | 'ledger', operation: string): Promise<Uint8Array | undefined> {
    const { rows } = await this.#query(`SELECT ${column} FROM ${table} WHERE run = $1`, [this.#runKey], operation);
    return rows.length === 0 ? undefined : (rows[0][column] as Buffer);
  }

  /**
   * Replaces this run's `column` value in a table keyed by run, under the guard of every write
   * (this writer's epoch, run still open): a fenced writer leaves nothing behind.
   */
  async #writeRunRecord(table: string, column: 'anchor' | 'ledger', record: Uint8Array, what: string): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    const { rows } = await this.#query(
      `WITH owner AS (SELECT id FROM ${this.#tables.runs} WHERE id = $1 AND epoch = $2 AND state = 'open')
       INSERT INTO ${table} (run, ${column}) SELECT id, $3 FROM owner
       ON CONFLICT (run) DO UPDATE SET ${column} = EXCLUDED.${column} RETURNING run`,
      [this.#runKey, this.#epoch, Buffer.from(record)],
      `${what} of run`,
    );
    if (rows.length === 0) throw await this.#refusal(what);
  }

  protected async _writeManifest(record: Uint8Array, manifest: RunManifest): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    const { rowCount } = await this.#query(
      `UPDATE ${this.#tables.runs} SET state = 'sealed', manifest = $3 WHERE id = $1 AND epoch = $2 AND state = 'open' AND head_seq = $4`,
      [this.#runKey, this.#epoch, Buffer.from(record), manifest.highWatermark],
      `seal (${manifest.status})`,
    );
    if (rowCount !== 1) throw await this.#refusal(`seal it ${manifest.status}`);
  }

  protected async _close(): Promise<void> {
    try {
      await this.#release?.();
    } finally {
      this.#onClose?.();
    }
  }

  /**
   * One statement on the store's session. A writable store whose session died (any statement:
   * the index read before an append, too) gets the final answer of `#refusal`: FENCED or BACKEND.
   */
  // biome-ignore lint/suspicious/noExplicitAny: pg rows are untyped; each query site reads the columns it selected
  async #query(text: string, values: unknown[], operation: string): Promise<{ rows: any[]; rowCount: number | null }> {
    try {
      return await this.#session.query(text, values);
    } catch (error) {
      if (this.#release !== undefined && (isConnectionLoss(error) || this.#sessionLost() !== undefined))
        throw await this.#refusal(operation.replace(/ of run$| to run$/, ''), undefined, error);
      throw this.#context.mapError(error, operation, this.location);
    }
  }

  /**
   * Why a guarded write did not land, read on a fresh connection: FENCED when the run was
   * recovered or sealed by someone else (the epoch moved), OUT_OF_ORDER when only the head
   * differs, BACKEND when this store's session died. Fencing and a lost session are final.
   */
  async #refusal(what: string, expectedHead?: number, cause?: unknown): Promise<TapelogError> {
    let stored: { epoch: number; state: string; head: number } | undefined;
    try {
      const { rows } = await this.#context.pool.query(`SELECT epoch, state, head_seq FROM ${this.#tables.runs} WHERE id = $1`, [this.#runKey]);
      if (rows.length > 0) stored = { epoch: Number(rows[0].epoch), state: rows[0].state as string, head: Number(rows[0].head_seq) };
    } catch {
      // The server is unreachable: fall through to the session error below.
    }
    let failure: TapelogError;
    if (stored !== undefined && (stored.epoch !== this.#epoch || stored.state !== 'open')) {
      failure = fencedError(
        this.location,
        `could not ${what}: the run now has writer epoch ${stored.epoch} (state ${stored.state}) and this writer holds epoch ${this.#epoch}; it was recovered or sealed elsewhere`,
      );
    } else if (cause !== undefined) {
      const mapped = this.#context.mapError(cause, `${what} of run`, this.location);
      failure = backendError(
        `${mapped.detail}; the connection holding this writer's liveness lock is gone, so the run may be recovered elsewhere: the writer must stop (the run stays Running for the recovery sweep)`,
        cause,
      );
    } else if (stored !== undefined && expectedHead !== undefined) {
      return outOfOrderError(stored.head, expectedHead + 1);
    } else {
      failure = backendError(`could not ${what} of run ${this.location}: the run row is gone or the server is unreachable`);
    }
    this.#failure = failure;
    return failure;
  }
}
