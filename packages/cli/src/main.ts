/** The `tapelog` command: dispatches to one subcommand and turns failures into exit codes and clear lines. */
import { TapelogError } from '@tapelog/core';
import { UsageError } from './command-line.js';
import { exportCommand } from './commands/export.js';
import { lookupCommand } from './commands/lookup.js';
import { markersCommand } from './commands/markers.js';
import { replayCommand } from './commands/replay.js';
import { retentionCommand } from './commands/retention.js';
import { runsCommand } from './commands/runs.js';
import { scanCommand } from './commands/scan.js';
import { verifyCommand } from './commands/verify.js';
import { EXIT_ERROR } from './exit-codes.js';

export const USAGE = `usage:
  tapelog runs <baseDir> <instanceId> [--json]
  tapelog verify <runPath> [--json]           exit 0 clean, 1 corrupt, 2 cannot run
  tapelog scan <runPath> [--from N] [--to N] [--reverse] [--json]
  tapelog replay <runPath> [--from-seq A] [--to-seq B] [--topic T]... [--payload-type P]... [--decode none|msgpack] [--json]
  tapelog export <runPath> --format parquet|arrow|jsonl --out FILE [--from-seq A] [--to-seq B] [--decode none|msgpack] [--json]
  tapelog lookup <runPath> <kind> <key> [--json]
  tapelog retention <baseDir> <instanceId> [--mode full|bounded:N|snapshot-anchored] [--json]
  tapelog markers verify <markersPath> [--entry-high-watermark N] [--json]
<runPath> is a run directory: <baseDir>/<instanceId>/<runId>.level
  or postgres://user:password@host:port/<database>/<instanceId>/<runId>[?schema=name]
  (and <baseDir> postgres://user:password@host:port/<database>[?schema=name])
`;

const COMMANDS: Record<string, (argv: readonly string[]) => Promise<number>> = {
  runs: runsCommand,
  verify: verifyCommand,
  scan: scanCommand,
  replay: replayCommand,
  export: exportCommand,
  lookup: lookupCommand,
  retention: retentionCommand,
  markers: markersCommand,
};

/** Runs one `tapelog` invocation and returns its exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name === undefined ? EXIT_ERROR : 0;
  }
  const command = COMMANDS[name];
  try {
    if (command === undefined) throw new UsageError(`unknown command ${JSON.stringify(name)}`);
    return await command(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n${USAGE}`);
      return EXIT_ERROR;
    }
    const code = TapelogError.isInstance(error) ? ` code=${error.code}` : '';
    process.stderr.write(`error${code}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_ERROR;
  }
}
