/**
 * `tapelog markers verify <path>`: verify a marker store opened read-only, and render the outcome
 * as output lines, JSON and an exit code (0 clean, 1 corrupt, 2 cannot run). It never throws, so
 * the command can always print what happened. Each store package opens its own kind of store.
 */
import { backendError, TapelogError } from '@tapelog/core';
import type { MarkerBackend } from './marker-backend.js';
import { type MarkerFinding, type MarkerVerifyReport, type VerifyMarkersOptions, verifyMarkers } from './marker-verifier.js';

export interface MarkerStoreVerification {
  path: string;
  verdict: 'clean' | 'corrupt' | 'error';
  exitCode: 0 | 1 | 2;
  /** Present when the store could be read. */
  report?: MarkerVerifyReport;
  /** Why the store could not be read (CORRUPTED makes the verdict `corrupt`). */
  error?: TapelogError;
}

/**
 * Verifies the marker store at `path`, opened by `openReadOnly` (which must not seal, recover or
 * write it), and closes it again.
 */
export async function verifyMarkerStoreWith(
  path: string,
  openReadOnly: (path: string) => Promise<MarkerBackend>,
  options: VerifyMarkersOptions = {},
): Promise<MarkerStoreVerification> {
  let backend: MarkerBackend | undefined;
  try {
    backend = await openReadOnly(path);
    const report = await verifyMarkers(backend, options);
    const clean = report.findings.length === 0;
    return { path, verdict: clean ? 'clean' : 'corrupt', exitCode: clean ? 0 : 1, report };
  } catch (caught) {
    const error = TapelogError.isInstance(caught)
      ? caught
      : backendError(`verify marker store at ${path}: ${(caught as Error)?.message ?? String(caught)}`, caught);
    return error.code === 'CORRUPTED' || error.code === 'UNSUPPORTED_FORMAT'
      ? { path, verdict: 'corrupt', exitCode: 1, error }
      : { path, verdict: 'error', exitCode: 2, error };
  } finally {
    await backend?.close().catch(() => undefined);
  }
}

/** One finding as `key=value` text. */
export function formatMarkerFinding(finding: MarkerFinding): string {
  const fields = Object.entries(finding)
    .filter(([key, value]) => key !== 'kind' && value !== undefined)
    .map(([key, value]) => `${key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)}=${String(value)}`);
  return [`finding=${finding.kind}`, ...fields].join(' ');
}

/** The command's output lines: a summary, then one line per recorded gap and per finding. */
export function formatMarkerVerification(verification: MarkerStoreVerification): string[] {
  const { report, error } = verification;
  if (report === undefined) return [`markers=${verification.verdict} path=${verification.path} error=${JSON.stringify(error?.message ?? 'unknown')}`];
  const summary = [
    `markers=${verification.verdict}`,
    `path=${verification.path}`,
    `run_id=${report.runId}`,
    `status=${report.status}`,
    `snapshots=${report.snapshotsScanned}`,
    `hifi=${report.hifiScanned}`,
    `gaps=${report.gapsScanned}`,
    `dict=${report.dictEntriesScanned}`,
  ];
  if (report.entryHighWatermark !== undefined) summary.push(`entry_high_watermark=${report.entryHighWatermark}`);
  if (report.findings.length > 0) summary.push(`marker_findings=${report.findings.length}`);
  return [
    summary.join(' '),
    ...report.gaps.map((gap) => `gap from_marker_seq=${gap.fromMarkerSeq} to_marker_seq=${gap.toMarkerSeq} reason=${gap.reason}`),
    ...report.findings.map(formatMarkerFinding),
  ];
}

/** A JSON-safe form (bigints as decimal strings) for `--json`. */
export function markerVerificationToJson(verification: MarkerStoreVerification): unknown {
  const plain = {
    path: verification.path,
    verdict: verification.verdict,
    exitCode: verification.exitCode,
    report: verification.report,
    error: verification.error && { code: verification.error.code, message: verification.error.message },
  };
  return JSON.parse(JSON.stringify(plain, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))) as unknown;
}
