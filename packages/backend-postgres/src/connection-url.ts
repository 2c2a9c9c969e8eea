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
