/**
 * The PostgreSQL provider: one database schema holding the runs of many instances written from
 * many machines. It opens runs by the rules of the contract, takes each writable run's liveness
 * lock, bumps the writer epoch when it recovers a run, and lists runs from the runs table.
 */

import {
  assertSafePathSegment,
  backendError,
  checkStoreFormat,
  corruptedError,
  crashedPredecessorError,
  decodeManifest,
  type EventStoreProvider,
  encodeManifest,
  type FaultHooks,
  isUnsupportedStoreFormat,
  normalizeForOpen,
  type RunManifest,
  runNotFoundError,
  runNotSealedError,
  runSealedError,
  STORE_FORMAT_VERSION,
  type TamperHooks,
  TapelogError,
} from '@tapelog/core';
import { CommitFaults, type WarningSink } from '@tapelog/core/backend';
import pg from 'pg';
import { redactUrl } from './connection-url.js';
import { mapPostgresError } from './error-mapping.js';
import { openWriterSession, type WriterSession } from './liveness.js';
import { assertSchemaName, ensureSchema, type Tables, tablesOf } from './schema.js';
import { capabilities, PostgresEventStore, type StoreContext } from './store.js';
import { createTamperHooks } from './tamper.js';

/** Plain data, so the writer can rebuild the provider inside its worker thread. */
export interface PostgresProviderOptions {
  /** `postgres://user:password@host:port/database`; the password never appears in any message. */
  connectionString: string;
  /** The PostgreSQL schema holding this provider's tables; default `tapelog`. */
  schema?: string;
  /** Pooled connections for reads, listings and opens (each writable run has one more of its own); default 4. */
  poolSize?: number;
  /** Connecting gives up after this long; default 10 000 ms. */
  connectTimeoutMs?: number;
  /** A statement whose answer takes longer than this fails as BACKEND instead of hanging; default 60 000 ms. */
  queryTimeoutMs?: number;
}

export interface PostgresProviderHooks {
  warn?: WarningSink;
}

export const DEFAULT_SCHEMA = 'tapelog';

/** The row of one run, as the open paths read it. */
interface RunRow {
  id: number;
  store_format: number | null;
  manifest: Buffer | null;
  state: 'open' | 'sealed';
  head_seq: string;
  max_ts_init: string;
  epoch: string;
}

export class PostgresProvider implements EventStoreProvider {
  readonly name = 'postgres';
  readonly capabilities = capabilities;
  readonly tamper: TamperHooks;
  readonly faults: FaultHooks;
  readonly options: Readonly<PostgresProviderOptions>;
  /** The server and schema, password-free: `postgres://user@host:port/db/<schema>`. */
  readonly location: string;
  readonly tables: Tables;
  readonly #clientConfig: pg.ClientConfig;
  readonly #pool: pg.Pool;
  readonly #warn: WarningSink;
  readonly #context: StoreContext;
  #ready: Promise<void> | undefined;

  constructor(options: PostgresProviderOptions, hooks: PostgresProviderHooks = {}) {
    if (typeof options !== 'object' || options === null || typeof options.connectionString !== 'string' || options.connectionString.length === 0) {
      throw new TypeError('createProvider expects { connectionString: string } with a non-empty connectionString');
    }
    const schema = options.schema ?? DEFAULT_SCHEMA;
    assertSchemaName(schema);
    this.options = Object.freeze({ ...options, schema });
    this.tables = tablesOf(schema);
    this.location = `${redactUrl(options.connectionString)}/${schema}`;
    this.#clientConfig = {
      connectionString: options.connectionString,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      query_timeout: options.queryTimeoutMs ?? 60_000,
      keepAlive: true,
      application_name: 'tapelog',
    };
    // Idle pooled connections do not keep a process (or the writer's thread) alive.
    this.#pool = new pg.Pool({ ...this.#clientConfig, max: options.poolSize ?? 4, allowExitOnIdle: true });
    // An idle pooled connection that dies is replaced on next use; it must not crash the process.
    this.#pool.on('error', () => undefined);
    this.#warn = hooks.warn ?? ((message, error) => console.warn(`[tapelog/backend-postgres] ${message}`, error ?? ''));
    const commitFaults = new CommitFaults();
    this.faults = commitFaults.hooks((instanceId, runId) => this.runLocation(instanceId, runId));
    this.#context = {
      tables: this.tables,
      pool: this.#pool,
      faults: commitFaults,
      mapError: (error, operation, location) => mapPostgresError(error, operation, location, options.connectionString),
    };
    this.tamper = createTamperHooks(this.#pool, this.tables, () => this.#ensureReady());
  }

  /** Where a run lives: `postgres://user@host:port/db/<schema>/<instanceId>/<runId>`. */
  runLocation(instanceId: string, runId: string): string {
    return `${this.location}/${instanceId}/${runId}`;
  }

  async openRun(manifest: RunManifest): Promise<PostgresEventStore> {
    const location = await this.#readyFor(manifest.instanceId, manifest.runId);
    const normalized = normalizeForOpen(manifest);
    const session = await this.#openSession(location);
    try {
      // The lock is taken inside the transaction that creates the row: no other process can
      // ever see this run Running and unlocked.
      await session.query('BEGIN');
      const inserted = await session.query(
        `INSERT INTO ${this.tables.runs} (instance_id, run_id, store_format, manifest, state) VALUES ($1, $2, $3, $4, 'open')
         ON CONFLICT (instance_id, run_id) DO NOTHING RETURNING id, epoch`,
        [manifest.instanceId, manifest.runId, STORE_FORMAT_VERSION, Buffer.from(encodeManifest(normalized))],
      );
      if (inserted.rows.length === 0) {
        await session.query('ROLLBACK');
        const existing = await this.#readRunRow(manifest.instanceId, manifest.runId, location);
        this.#checkStoredRun(existing!, location);
        if (existing!.state === 'sealed') throw runSealedError(location, this.#decodeManifest(existing!, location).status);
        throw crashedPredecessorError(location);
      }
      const runKey = Number(inserted.rows[0].id);
      if (!(await session.tryLock(this.#lockSpace, runKey))) throw backendError(`run ${location} is locked by another session right after its creation`);
      await session.query('COMMIT');
      return this.#writableStore(session, { location, runKey, epoch: Number(inserted.rows[0].epoch), manifest: normalized, highWatermark: 0, maxTsInit: 0n });
    } catch (error) {
      await session.query('ROLLBACK').catch(() => undefined);
      await session.end();
      throw this.#context.mapError(error, 'open run', location);
    }
  }

  async openForRecovery(instanceId: string, runId: string): Promise<PostgresEventStore> {
    const location = await this.#readyFor(instanceId, runId);
    const row = await this.#existingRun(instanceId, runId, location);
    if (row.state === 'sealed') throw runSealedError(location, this.#decodeManifest(row, location).status);
    const session = await this.#openSession(location);
    try {
      if (!(await session.tryLock(this.#lockSpace, row.id))) {
        throw new TapelogError(
          'RUN_ALREADY_OPEN',
          `run ${location} is held by a live writer (its liveness lock is taken): it is not a crashed predecessor; recover it only after that writer has stopped`,
        );
      }
      // Taking the run over: the new epoch fences the previous writer should it ever wake up.
      const bumped = await session.query(
        `UPDATE ${this.tables.runs} SET epoch = epoch + 1 WHERE id = $1 AND state = 'open' RETURNING id, store_format, manifest, state, head_seq, max_ts_init, epoch`,
        [row.id],
      );
      if (bumped.rows.length === 0) throw runSealedError(location, 'sealed');
      const current = bumped.rows[0] as RunRow;
      this.#checkStoredRun(current, location);
      return this.#writableStore(session, {
        location,
        runKey: row.id,
        epoch: Number(current.epoch),
        manifest: this.#decodeManifest(current, location),
        highWatermark: Number(current.head_seq),
        maxTsInit: BigInt(current.max_ts_init),
      });
    } catch (error) {
      await session.end();
      throw this.#context.mapError(error, 'open for recovery run', location);
    }
  }

  async openSealed(instanceId: string, runId: string): Promise<PostgresEventStore> {
    const location = await this.#readyFor(instanceId, runId);
    const row = await this.#existingRun(instanceId, runId, location);
    const manifest = this.#decodeManifest(row, location);
    if (row.state !== 'sealed') throw runNotSealedError(location, manifest.status);
    return new PostgresEventStore({
      context: this.#context,
      session: this.#pool,
      location,
      runKey: row.id,
      epoch: Number(row.epoch),
      manifest,
      highWatermark: Number(row.head_seq),
      maxTsInit: 0n,
      readOnly: true,
    });
  }

  async listRuns(instanceId: string): Promise<RunManifest[]> {
    assertSafePathSegment('instanceId', instanceId);
    await this.#ensureReady();
    let rows: RunRow[];
    try {
      ({ rows } = await this.#pool.query(
        `SELECT id, run_id, store_format, manifest, state, head_seq, max_ts_init, epoch FROM ${this.tables.runs} WHERE instance_id = $1 ORDER BY run_id`,
        [instanceId],
      ));
    } catch (error) {
      throw this.#context.mapError(error, 'list runs of instance', `${this.location}/${instanceId}`);
    }
    const manifests: RunManifest[] = [];
    for (const row of rows) {
      const location = this.runLocation(instanceId, (row as RunRow & { run_id: string }).run_id);
      try {
        this.#checkStoredRun(row, location);
        const manifest = this.#decodeManifest(row, location);
        if (row.state === 'open') manifest.highWatermark = Number(row.head_seq);
        manifests.push(manifest);
      } catch (error) {
        // An unsupported store format needs an operator, so it fails the listing as a whole.
        if (isUnsupportedStoreFormat(error)) throw error;
        this.#warn(`listRuns skipped run ${location}: ${(error as Error).message}`, error);
      }
    }
    return manifests.sort((a, b) => (a.startTsInit < b.startTsInit ? -1 : a.startTsInit > b.startTsInit ? 1 : 0));
  }

  /** Ends the pool; stores still open keep their own sessions until closed. Idempotent. */
  async close(): Promise<void> {
    if (this.#pool.ended) return;
    await this.#pool.end();
  }

  get #lockSpace(): string {
    return `tapelog-run:${this.tables.schema}`;
  }

  /** Checks the ids (they must not escape a location), prepares the tables; returns the run's location. */
  async #readyFor(instanceId: string, runId: string): Promise<string> {
    assertSafePathSegment('instanceId', instanceId);
    assertSafePathSegment('runId', runId);
    await this.#ensureReady();
    return this.runLocation(instanceId, runId);
  }

  #ensureReady(): Promise<void> {
    this.#ready ??= (async () => {
      let client: pg.PoolClient;
      try {
        client = await this.#pool.connect();
      } catch (error) {
        throw this.#context.mapError(error, 'cannot connect to', this.location);
      }
      try {
        await ensureSchema(client, this.tables, this.location);
      } catch (error) {
        throw this.#context.mapError(error, 'prepare tables of', this.location);
      } finally {
        client.release();
      }
    })().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async #openSession(location: string): Promise<WriterSession> {
    try {
      return await openWriterSession(this.#clientConfig);
    } catch (error) {
      throw this.#context.mapError(error, 'cannot connect to open run', location);
    }
  }

  #writableStore(
    session: WriterSession,
    state: { location: string; runKey: number; epoch: number; manifest: RunManifest; highWatermark: number; maxTsInit: bigint },
  ): PostgresEventStore {
    return new PostgresEventStore({
      ...state,
      context: this.#context,
      session,
      release: () => session.end(),
      sessionLost: () => session.lost,
      readOnly: false,
    });
  }

  async #readRunRow(instanceId: string, runId: string, location: string): Promise<RunRow | undefined> {
    try {
      const { rows } = await this.#pool.query(
        `SELECT id, store_format, manifest, state, head_seq, max_ts_init, epoch FROM ${this.tables.runs} WHERE instance_id = $1 AND run_id = $2`,
        [instanceId, runId],
      );
      return rows[0] as RunRow | undefined;
    } catch (error) {
      throw this.#context.mapError(error, 'read run', location);
    }
  }

  /** The run's row, checked: BACKEND "no run file" when missing, CORRUPTED when its format or manifest is bad. */
  async #existingRun(instanceId: string, runId: string, location: string): Promise<RunRow> {
    const row = await this.#readRunRow(instanceId, runId, location);
    if (row === undefined) throw runNotFoundError(location);
    this.#checkStoredRun(row, location);
    return row;
  }

  #checkStoredRun(row: RunRow, location: string): void {
    checkStoreFormat(row.store_format ?? undefined, location);
    if (row.manifest === null) throw corruptedError(`missing manifest in run file at ${location}`);
  }

  #decodeManifest(row: RunRow, location: string): RunManifest {
    if (row.manifest === null) throw corruptedError(`missing manifest in run file at ${location}`);
    try {
      return decodeManifest(row.manifest);
    } catch (error) {
      const detail = TapelogError.isInstance(error) ? error.detail : String(error);
      throw corruptedError(`${detail} (run ${location})`, { cause: error });
    }
  }
}

/** Builds the PostgreSQL provider. `options` is plain data; `hooks` stays in this thread. */
export function createProvider(options: PostgresProviderOptions, hooks: PostgresProviderHooks = {}): PostgresProvider {
  return new PostgresProvider(options, hooks);
}

/** Ends a provider's connection pool so the process can exit; a no-op for providers without one. */
export async function closeProvider(provider: EventStoreProvider): Promise<void> {
  const closable = provider as { close?: () => Promise<void> };
  if (typeof closable.close === 'function') await closable.close();
}
