/** The harness's command line: `[--full] [--no-write] [--write] [name…]`. */

export interface HarnessArguments {
  full: boolean;
  /** Scenario names to run; empty means all. */
  names: string[];
  /** Whether to write `results/`: by default only when every scenario runs, so one quick scenario does not replace the full report. */
  write: boolean;
  help: boolean;
}

export const USAGE = `usage: pnpm bench [--full] [--no-write | --write] [scenario…]
  --full      longer runs and more repetitions (the default stays under 3 minutes in all)
  --no-write  print only; do not write apps/bench/results/
  --write     write apps/bench/results/ even when only some scenarios run`;

export function parseArguments(argv: readonly string[]): HarnessArguments {
  const known = new Set(['--full', '--no-write', '--write', '--help', '-h']);
  const unknown = argv.filter((arg) => arg.startsWith('-') && !known.has(arg));
  if (unknown.length > 0) throw new RangeError(`unknown option(s): ${unknown.join(', ')}\n${USAGE}`);
  const names = argv.filter((arg) => !arg.startsWith('-'));
  const write = argv.includes('--no-write') ? false : argv.includes('--write') || names.length === 0;
  return { full: argv.includes('--full'), names, write, help: argv.includes('--help') || argv.includes('-h') };
}
