/**
 * Store arguments that are PostgreSQL URLs: `postgres://user:pw@host:port/db[?schema=s]` names a
 * store, `postgres://…/db/<instanceId>/<runId>[?schema=s]` one run. Everything shown to the user
 * is the redacted form (no password).
 */

// The URL helpers come without pg; the provider module (and pg) loads only when a URL is used.
import { isPostgresUrl, optionsFromStoreUrl, redactUrl } from '@tapelog/backend-postgres/connection-url';
import type { EventStoreProvider } from '@tapelog/core';
import { UsageError } from './command-line.js';

export { isPostgresUrl };

/** A PostgreSQL store: how to connect, which schema, and how to show it. */
export interface PostgresStore {
  connectionString: string;
  schema?: string;
  /** The redacted URL, for messages. */
  display: string;
}

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new UsageError(`${redactUrl(text)} is not a valid PostgreSQL URL: expected postgres://user:password@host:port/database`);
  }
}

/** `postgres://…/db[?schema=s]` as a store. */
export function parsePostgresStore(text: string): PostgresStore {
  const { connectionString, schema } = optionsFromStoreUrl(parseUrl(text).toString());
  return {
    connectionString,
    ...(schema === undefined ? {} : { schema }),
    display: redactUrl(connectionString) + (schema === undefined ? '' : `?schema=${schema}`),
  };
}

/** `postgres://…/db/<instanceId>/<runId>[?schema=s]` as a store plus the run's coordinates. */
export function parsePostgresRunUrl(text: string): PostgresStore & { instanceId: string; runId: string } {
  const url = parseUrl(text);
  const segments = url.pathname.split('/').filter((segment) => segment.length > 0);
  if (segments.length !== 3) {
    throw new UsageError(`${redactUrl(text)} does not name a run: expected postgres://user:password@host:port/<database>/<instanceId>/<runId>[?schema=name]`);
  }
  const [database, instanceId, runId] = segments.map(decodeURIComponent) as [string, string, string];
  url.pathname = `/${encodeURIComponent(database)}`;
  const store = parsePostgresStore(url.toString());
  return { ...store, display: `${redactUrl(url.toString())}/${instanceId}/${runId}`, instanceId, runId };
}

/** The provider for a PostgreSQL store; warnings go to stderr. */
export async function postgresProvider(store: PostgresStore): Promise<EventStoreProvider> {
  const { createProvider: createPostgresProvider } = await import('@tapelog/backend-postgres');
  return createPostgresProvider(
    { connectionString: store.connectionString, ...(store.schema === undefined ? {} : { schema: store.schema }) },
    { warn: (message) => process.stderr.write(`warning: ${message}\n`) },
  );
}
