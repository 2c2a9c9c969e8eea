/** Runs one `tapelog` command in this process and turns its failure into an exit code and one clear line. */
import { TapelogError } from '@tapelog/core';
import { UsageError } from './command-line.js';
import { commandSubject } from './command-subject.js';
import { exportCommand } from './commands/export.js';
import { inspectCommand } from './commands/inspect.js';
import { lookupCommand } from './commands/lookup.js';
import { markersCommand } from './commands/markers.js';
import { replayCommand } from './commands/replay.js';
import { retentionCommand } from './commands/retention.js';
import { runsCommand } from './commands/runs.js';
import { scanCommand } from './commands/scan.js';
import { verifyCommand } from './commands/verify.js';
import { EXIT_CORRUPT, EXIT_ERROR } from './exit-codes.js';
import { integrityErrorLine, isIntegrityError } from './integrity-error.js';
import { USAGE } from './usage.js';

export const COMMANDS: Record<string, (argv: readonly string[]) => Promise<number>> = {
  runs: runsCommand,
  verify: verifyCommand,
  scan: scanCommand,
  replay: replayCommand,
  export: exportCommand,
  lookup: lookupCommand,
  retention: retentionCommand,
  markers: markersCommand,
  inspect: inspectCommand,
};

/** Runs one command in this process and turns its failure into an exit code and one clear line. */
export async function runCommand(argv: readonly string[]): Promise<number> {
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
    // A damaged sealed run found while opening it is a verdict on the data, as for a damaged row.
    if (isIntegrityError(error)) {
      process.stderr.write(integrityErrorLine(commandSubject(name, rest), error));
      return EXIT_CORRUPT;
    }
    const code = TapelogError.isInstance(error) ? ` code=${error.code}` : '';
    process.stderr.write(`error${code}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_ERROR;
  }
}
