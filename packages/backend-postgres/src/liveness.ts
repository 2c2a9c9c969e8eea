/**
 * Liveness of writers across machines: each writable store runs on its own PostgreSQL session
 * holding a session-level advisory lock on its run. The lock lives exactly as long as the
 * session, so a crashed or partitioned writer loses it, and a recovery sweep anywhere can tell
 * a live writer (lock taken) from a crashed one (lock free).
 */
import pg from 'pg';
import type { Queryable } from './schema.js';

/** One dedicated session; `lost` is set as soon as the driver reports the session gone. */
export interface WriterSession extends Queryable {
  /** The failure that ended the session, once it ended unexpectedly. */
  readonly lost: unknown;
  /** Takes the run's lock without waiting; false when a live writer holds it. */
  tryLock(lockSpace: string, runKey: number): Promise<boolean>;
  /** Ends the session, which releases its lock. */
  end(): Promise<void>;
}

/** The SQL of the lock: two int keys, the schema's hash and the run's numeric id. */
export const TRY_LOCK_SQL = 'SELECT pg_try_advisory_lock(hashtext($1), $2) AS locked';

export async function openWriterSession(config: pg.ClientConfig): Promise<WriterSession> {
  const client = new pg.Client(config);
  let lost: unknown;
  let ended = false;
  client.on('error', (error) => {
    lost ??= error;
  });
  client.on('end', () => {
    if (!ended) lost ??= new Error('Connection terminated unexpectedly');
  });
  await client.connect();
  return {
    get lost() {
      return lost;
    },
    // biome-ignore lint/suspicious/noExplicitAny: pg rows are untyped; each query site reads the columns it selected
    query: (text, values) => client.query(text, values) as Promise<{ rows: any[]; rowCount: number | null }>,
    async tryLock(lockSpace, runKey) {
      const { rows } = await client.query(TRY_LOCK_SQL, [lockSpace, runKey]);
      return rows[0].locked === true;
    },
    async end() {
      if (ended) return;
      ended = true;
      await client.end().catch(() => undefined);
    },
  };
}
