/**
 * The isolated half of `tapelog verify`: opens one sealed run, verifies it, prints the result
 * lines and exits 0 clean / 1 corrupt / 2 cannot run. It runs in a child process so a run that
 * crashes or hangs its reader takes down this worker, never the operator's command.
 * (The CLI tests make it crash or hang by preloading a module of their own; nothing here does.)
 * Usage (internal): node verify-worker.js <runPath> [--json]
 */
import { TapelogError } from '@tapelog/core';
import { Verifier, type VerifyReport } from '@tapelog/recovery';
import { UsageError } from './command-line.js';
import { EXIT_CORRUPT, EXIT_ERROR, EXIT_OK } from './exit-codes.js';
import { storeProvider } from './open-run.js';
import { parseRunPath, storeOfRun } from './run-path.js';
import { checkRunMarkers, type MarkerCheck } from './verify-markers.js';
import { corruptOutput, errorOutput, isCleanVerification, reportOutput, type VerifyOutput } from './verify-output.js';

/** How often progress is reported to the parent, which draws the bar. */
const PROGRESS_INTERVAL_MS = 100;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** CORRUPTED or UNSUPPORTED_FORMAT means the run itself cannot be trusted (exit 1); anything else means the check could not run (exit 2). */
function failureOutput(path: string, error: unknown, json: boolean): { output: VerifyOutput; code: number } {
  const text = `backend access failed: ${message(error)}`;
  if (TapelogError.hasCode(error, 'CORRUPTED') || TapelogError.hasCode(error, 'UNSUPPORTED_FORMAT'))
    return { output: corruptOutput(path, 'error', text, json), code: EXIT_CORRUPT };
  return { output: errorOutput(path, text, json), code: EXIT_ERROR };
}

/** 0 clean; 1 run findings or corrupt markers; 2 when only the marker store could not be read at all. */
function verifyExitCode(report: VerifyReport, markers: MarkerCheck): number {
  if (isCleanVerification(report, markers)) return EXIT_OK;
  return report.findings.length === 0 && markers.state === 'error' ? EXIT_ERROR : EXIT_CORRUPT;
}

async function verifyRun(path: string, json: boolean): Promise<{ output: VerifyOutput; code: number }> {
  const coordinates = parseRunPath(path);
  let lastProgress = 0;
  const onProgress = (walked: number, highWatermark: number): void => {
    const now = Date.now();
    if (process.send === undefined || (now - lastProgress < PROGRESS_INTERVAL_MS && walked < highWatermark)) return;
    lastProgress = now;
    process.send({ progress: walked, total: highWatermark });
  };
  let verifier: Verifier;
  try {
    verifier = await Verifier.openSealed(await storeProvider(storeOfRun(coordinates)), coordinates.instanceId, coordinates.runId, { onProgress });
  } catch (error) {
    return failureOutput(coordinates.path, error, json);
  }
  let report: VerifyReport;
  try {
    report = await verifier.verify();
  } catch (error) {
    return failureOutput(coordinates.path, error, json);
  } finally {
    await verifier.close().catch(() => {});
  }
  const markers = await checkRunMarkers(coordinates, report.highWatermark);
  return { output: reportOutput(report, markers, coordinates.path, json), code: verifyExitCode(report, markers) };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const path = args.find((argument) => argument !== '--json') ?? '';
  let result: { output: VerifyOutput; code: number };
  try {
    result = await verifyRun(path, json);
  } catch (error) {
    if (error instanceof UsageError) {
      result = { output: errorOutput(path, error.message, json), code: EXIT_ERROR };
    } else {
      // Anything unexpected is reported like a crash of the reader: the run is suspect.
      result = { output: corruptOutput(path, 'panic', message(error), json), code: EXIT_CORRUPT };
    }
  }
  process.stdout.write(result.output.stdout);
  process.stderr.write(result.output.stderr);
  // Pipes are written synchronously on POSIX; exit explicitly so no stray handle keeps us alive.
  process.exit(result.code);
}

await main();
