/**
 * Arguments for a reader child process without PostgreSQL passwords: every user of a host can
 * read a process's arguments (`ps`), not its environment. A URL's password moves to the child's
 * `PGPASSWORD`, which node-postgres reads when a connection string carries none.
 */
import { isPostgresUrl } from '@tapelog/backend-postgres/connection-url';

export function withoutPasswords(args: readonly string[]): { args: string[]; env: NodeJS.ProcessEnv } {
  let password: string | undefined;
  const stripped = args.map((argument) => {
    if (!isPostgresUrl(argument)) return argument;
    let url: URL;
    try {
      url = new URL(argument);
    } catch {
      return argument;
    }
    if (url.password === '') return argument;
    const decoded = decodeURIComponent(url.password);
    // Two URLs with different passwords cannot share one variable: leave them as given.
    if (password !== undefined && password !== decoded) return argument;
    password = decoded;
    url.password = '';
    return url.toString();
  });
  return { args: stripped, env: password === undefined ? process.env : { ...process.env, PGPASSWORD: password } };
}
