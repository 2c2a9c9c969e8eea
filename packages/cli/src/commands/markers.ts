/**
 * `tapelog markers verify <markersPath> [--entry-high-watermark N] [--json]`: verifies a run's
 * market-data marker sidecar (`<runId>.markers.level`) read-only, through @tapelog/markers.
 * Exit 0 clean, 1 corrupt, 2 cannot run.
 */
import { resolve } from 'node:path';
import { formatMarkerVerification, markerVerificationToJson, verifyMarkerStore } from '@tapelog/markers';
import { UsageError, parseArguments, seqOption } from '../command-line.js';
import { toJson } from '../json-output.js';

export async function markersCommand(argv: readonly string[]): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (subcommand !== 'verify') throw new UsageError('markers takes: verify <markersPath>');
  const parsed = parseArguments(rest, ['entry-high-watermark'], ['json']);
  if (parsed.positionals.length !== 1) throw new UsageError('markers verify takes exactly one marker store directory');
  const options = parsed.options.has('entry-high-watermark') ? { entryHighWatermark: seqOption(parsed, 'entry-high-watermark', 0) } : {};
  const verification = await verifyMarkerStore(resolve(parsed.positionals[0]!), options);
  if (parsed.flags.has('json')) {
    process.stdout.write(`${toJson(markerVerificationToJson(verification))}\n`);
  } else {
    const lines = formatMarkerVerification(verification);
    // Like `verify`: results on stdout, a store that could not be read at all on stderr.
    const stream = verification.verdict === 'error' ? process.stderr : process.stdout;
    stream.write(`${lines.join('\n')}\n`);
  }
  return verification.exitCode;
}
