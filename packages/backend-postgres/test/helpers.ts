/** Shared test helpers: the server URL, providers on fresh schemas, and dropping them afterwards. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createProvider, type PostgresProvider, type PostgresProviderOptions } from '../src/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The URL of the server the tests use (superuser, password included). */
    postgresUrl: string;
    /** The cluster directory when the global setup started it (fault tests stop and start it), else ''. */
    postgresDataDir: string;
  }
}

/** The URL of the test server (started by the global setup, or TAPELOG_PG_URL). */
export function serverUrl(): string {
  return inject('postgresUrl');
}

/** A schema name no other test uses. */
export function freshSchema(prefix = 't'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** A provider on a fresh schema of the test server; pass `schema` to share one. */
export function testProvider(options: Partial<PostgresProviderOptions> = {}): PostgresProvider {
  return createProvider({ connectionString: serverUrl(), schema: freshSchema(), ...options }, { warn: () => undefined });
}

/** Drops the provider's schema and ends its pool. */
export async function dropProvider(provider: PostgresProvider): Promise<void> {
  await provider.close();
  await dropSchema(provider.tables.schema);
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Runs one statement as the test superuser. */
export async function adminQuery(text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

/** Ends the server session holding the liveness lock of a run, as a network partition or an operator would. */
export async function terminateWriterSession(schema: string, runId: string): Promise<number> {
  const { rows } = await adminQuery(
    `SELECT pg_terminate_backend(l.pid) AS ended FROM pg_locks l JOIN "${schema}".runs r ON l.objid = r.id::oid
     WHERE l.locktype = 'advisory' AND l.objsubid = 2 AND l.classid = (hashtext($1)::bigint & 4294967295)::oid AND r.run_id = $2`,
    [`tapelog-run:${schema}`, runId],
  );
  return rows.filter((row) => row.ended === true).length;
}
