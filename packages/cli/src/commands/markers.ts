/** `tapelog markers verify <path>`: verification of a run's market-data marker sidecar. */
import { UsageError } from '../command-line.js';
import { EXIT_ERROR } from '../exit-codes.js';

export async function markersCommand(argv: readonly string[]): Promise<number> {
  if (argv[0] !== 'verify' || argv.length < 2) throw new UsageError('markers takes: verify <markers directory>');
  process.stderr.write('error: tapelog markers verify is not available in this build: the marker verifier is not wired in yet\n');
  return EXIT_ERROR;
}
