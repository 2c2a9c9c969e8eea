/**
 * The `tapelog` command: every command but `verify` and `inspect` (which isolate their own readers)
 * runs in a child process, so a damaged run that aborts its reader cannot take the command down. This
 * module stays small and loads the commands only where they run, so the parent starts fast.
 */
import { createRequire } from 'node:module';
import { runCommandIsolated } from './isolated-command.js';

export { USAGE } from './usage.js';

/** Every command name; the commands themselves load in run-command. */
export const COMMAND_NAMES: ReadonlySet<string> = new Set(['runs', 'verify', 'scan', 'replay', 'export', 'lookup', 'retention', 'markers', 'inspect']);

/** This package's version, read from its package.json (one directory above `dist/`). */
function packageVersion(): string {
  return (createRequire(import.meta.url)('../package.json') as { version: string }).version;
}

/** Runs one `tapelog` invocation and returns its exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  if (name === undefined || name === 'verify' || name === 'inspect' || !COMMAND_NAMES.has(name)) {
    const { runCommand } = await import('./run-command.js');
    return runCommand(argv);
  }
  return runCommandIsolated(name, rest);
}
