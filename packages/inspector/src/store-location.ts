/**
 * What `tapelog inspect` was pointed at: a LevelDB base directory or a PostgreSQL store URL, and
 * how to name it to a person (PostgreSQL URLs without their password).
 */
import { isPostgresUrl, optionsFromStoreUrl, redactUrl } from '@tapelog/backend-postgres/connection-url';

export type StoreLocation =
  | { kind: 'level'; baseDir: string; display: string }
  | { kind: 'postgres'; connectionString: string; schema?: string; display: string };

export function parseStoreLocation(text: string): StoreLocation {
  if (!isPostgresUrl(text)) return { kind: 'level', baseDir: text, display: text };
  const { connectionString, schema } = optionsFromStoreUrl(new URL(text).toString());
  const display = redactUrl(connectionString) + (schema === undefined ? '' : `?schema=${schema}`);
  return { kind: 'postgres', connectionString, ...(schema === undefined ? {} : { schema }), display };
}
