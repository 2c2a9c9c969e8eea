/**
 * `tapelog markers verify <markersPath> [--entry-high-watermark N] [--json]`: verifies a run's
 * market-data marker sidecar (`<runId>.markers.level`) read-only, through @tapelog/markers-level.
 * Exit 0 clean, 1 corrupt, 2 cannot run.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatMarkerVerification, markerVerificationToJson } from '@tapelog/markers';
import { MARKERS_DIRECTORY_SUFFIX as MARKER_STORE_SUFFIX, verifyMarkerStore } from '@tapelog/markers-level';
import { parseArguments, seqOption, UsageError } from '../command-line.js';
import { toJson } from '../json-output.js';

const RUN_SUFFIX = '.level';

export async function markersCommand(argv: readonly string[]): Promise<number> {
  const [subcommand, ...rest] = argv;
  if (subcommand !== 'verify') throw new UsageError('markers takes: verify <markersPath>');
  const parsed = parseArguments(rest, ['entry-high-watermark'], ['json']);
  if (parsed.positionals.length !== 1) throw new UsageError('markers verify takes exactly one marker store directory');
  const options = parsed.options.has('entry-high-watermark') ? { entryHighWatermark: seqOption(parsed, 'entry-high-watermark', 0) } : {};
  const path = resolve(parsed.positionals[0]!);
  if (path.endsWith(RUN_SUFFIX) && !path.endsWith(MARKER_STORE_SUFFIX)) {
    // A run directory, not its sidecar: say where the sidecar would be instead of calling the run corrupt.
    const sidecar = `${path.slice(0, -RUN_SUFFIX.length)}${MARKER_STORE_SUFFIX}`;
    const hint = existsSync(sidecar) ? `its marker store is ${sidecar}` : `this run has no marker store (${sidecar} does not exist)`;
    throw new UsageError(`${path} is a run directory, not a marker store; ${hint}`);
  }
  const verification = await verifyMarkerStore(path, options);
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
