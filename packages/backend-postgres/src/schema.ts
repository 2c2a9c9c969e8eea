/**
 * The tables of one provider, all in its own PostgreSQL schema, created or migrated on first
 * use under a transaction-scoped advisory lock so that concurrent first uses do not race.
 */
import { corruptedError } from '@tapelog/core';

/**
 * The version of the table layout below; a schema stamped newer than this is refused, an older
 * one is migrated on first use. 2 added `index_ledgers` (the index rows of a run as sealed).
 */
export const SCHEMA_VERSION = 2;

/** Schema names are plain identifiers so they can be quoted without escaping surprises. */
export function assertSchemaName(schema: unknown): asserts schema is string {
  if (typeof schema !== 'string' || !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new TypeError(`schema must be a lowercase identifier of [a-z0-9_] (1-63 characters, not starting with a digit), got ${JSON.stringify(schema)}`);
  }
}

/** Table names of one schema, quoted, for building statements. */
export interface Tables {
  schema: string;
  meta: string;
  runs: string;
  entries: string;
  indexRows: string;
  anchors: string;
  indexLedgers: string;
}

export function tablesOf(schema: string): Tables {
  const q = `"${schema}"`;
  return {
    schema,
    meta: `${q}.meta`,
    runs: `${q}.runs`,
    entries: `${q}.entries`,
    indexRows: `${q}.index_rows`,
    anchors: `${q}.anchors`,
    indexLedgers: `${q}.index_ledgers`,
  };
}

/** Statements that create version 1 from nothing; each is idempotent. Later versions are migrations below. */
function creationStatements(t: Tables): string[] {
  return [
    `CREATE SCHEMA IF NOT EXISTS "${t.schema}"`,
    `CREATE TABLE IF NOT EXISTS ${t.meta} (key text PRIMARY KEY, value text NOT NULL)`,
    // One row per run. `manifest` is the encoded manifest record (the opened one while Running,
    // the sealed one after); head_seq, max_ts_init and epoch move with every committed batch.
    `CREATE TABLE IF NOT EXISTS ${t.runs} (
      id integer GENERATED ALWAYS AS IDENTITY UNIQUE,
      instance_id text NOT NULL,
      run_id text NOT NULL,
      store_format integer,
      manifest bytea,
      state text NOT NULL CHECK (state IN ('open', 'sealed')),
      head_seq bigint NOT NULL DEFAULT 0,
      max_ts_init numeric(20, 0) NOT NULL DEFAULT 0,
      epoch bigint NOT NULL DEFAULT 1,
      PRIMARY KEY (instance_id, run_id)
    )`,
    `CREATE TABLE IF NOT EXISTS ${t.entries} (run integer NOT NULL, seq bigint NOT NULL, entry bytea NOT NULL, PRIMARY KEY (run, seq))`,
    // Keys are stored as their UTF-8 bytes: text columns cannot hold NUL, and byte order is the digest's order.
    `CREATE TABLE IF NOT EXISTS ${t.indexRows} (run integer NOT NULL, kind text NOT NULL, key bytea NOT NULL, seq bigint NOT NULL, PRIMARY KEY (run, kind, key))`,
    `CREATE TABLE IF NOT EXISTS ${t.anchors} (run integer PRIMARY KEY, anchor bytea NOT NULL)`,
  ];
}

/** What upgrades layout version `n` to `n + 1`, by `n`; each statement is idempotent. */
function migrationStatements(t: Tables): Record<number, string[]> {
  return {
    // The index ledger a seal with an integrity commitment stores: verify names each vanished or
    // changed index row by kind and key. Runs sealed before it have none and verify as before.
    1: [`CREATE TABLE IF NOT EXISTS ${t.indexLedgers} (run integer PRIMARY KEY, ledger bytea NOT NULL)`],
  };
}

/** Something that runs one statement; a pg Client or Pool. */
export interface Queryable {
  // biome-ignore lint/suspicious/noExplicitAny: pg rows are untyped; each query site reads the columns it selected
  query(text: string, values?: unknown[]): Promise<{ rows: any[]; rowCount: number | null }>;
}

/**
 * Creates the schema when missing, migrates an older layout to this one and refuses a newer one.
 * Runs in one transaction holding an advisory lock keyed by the schema name, so two processes
 * starting at once do not collide and a failed migration leaves the schema as it was.
 */
export async function ensureSchema(client: Queryable, t: Tables, where: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`tapelog-schema:${t.schema}`]);
    for (const statement of creationStatements(t)) await client.query(statement);
    const { rows } = await client.query(`SELECT value FROM ${t.meta} WHERE key = 'schema_version'`);
    const stored = rows.length === 0 ? 1 : Number(rows[0].value);
    if (!Number.isInteger(stored) || stored < 1 || stored > SCHEMA_VERSION) {
      throw corruptedError(`PostgreSQL schema ${where} has table layout version ${rows[0].value}; this tapelog supports versions up to ${SCHEMA_VERSION}`);
    }
    const migrations = migrationStatements(t);
    for (let version = stored; version < SCHEMA_VERSION; version++) for (const statement of migrations[version]!) await client.query(statement);
    if (rows.length === 0) {
      await client.query(`INSERT INTO ${t.meta} (key, value) VALUES ('schema_version', $1)`, [String(SCHEMA_VERSION)]);
    } else if (stored !== SCHEMA_VERSION) {
      await client.query(`UPDATE ${t.meta} SET value = $1 WHERE key = 'schema_version'`, [String(SCHEMA_VERSION)]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
