/** What a `tapelog` command reads, named in its error lines. */
import { join } from 'node:path';

/** The only options no command gives a value; every other `--name` without `=` takes the next argument. */
const FLAGS = new Set(['--json', '--reverse']);

function positionals(argv: readonly string[]): string[] {
  const found: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (!argument.startsWith('--')) found.push(argument);
    else if (!argument.includes('=') && !FLAGS.has(argument)) index++;
  }
  return found;
}

/** What the command reads, for the error line: the run or marker directory, or `<baseDir>/<instanceId>`. */
export function commandSubject(name: string, argv: readonly string[]): string {
  const found = positionals(argv);
  if (name === 'runs' || name === 'retention') return found.length >= 2 ? join(found[0]!, found[1]!) : (found[0] ?? '');
  if (name === 'markers') return found[1] ?? '';
  return found[0] ?? '';
}
