/**
 * PostgreSQL connection strings as tapelog shows them: every user-facing text names a server by
 * its redacted URL (no password, no user info), and run locations are built on it.
 */

/** `postgres://user:secret@host:5432/db?x=y` → `postgres://user@host:5432/db` (never a password). */
export function redactUrl(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.toString();
  } catch {
    return 'postgres://<unparseable URL>';
  }
}

/** True when `value` looks like a PostgreSQL URL (`postgres://` or `postgresql://`). */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/** Replaces every occurrence of the URL's password in `text`; messages from drivers can echo it. */
export function scrubPassword(text: string, connectionString: string): string {
  let password = '';
  try {
    password = decodeURIComponent(new URL(connectionString).password);
  } catch {
    return text;
  }
  if (password.length === 0) return text;
  return text.split(password).join('***').split(encodeURIComponent(password)).join('***');
}

/**
 * Provider options from a store URL: `postgres://user:pw@host:port/db?schema=s`. `schema` is ours,
 * not a server parameter, so it is taken off the connection string.
 */
export function optionsFromStoreUrl(store: string): { connectionString: string; schema?: string } {
  const url = new URL(store);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  return schema === undefined ? { connectionString: url.toString() } : { connectionString: url.toString(), schema };
}
