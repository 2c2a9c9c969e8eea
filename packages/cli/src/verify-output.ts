/**
 * The lines `tapelog verify` prints (the upstream formats plus `chain_head=`): `clean …` or
 * `corrupt … quarantine=not-performed` on stdout, `error …` on stderr; or one JSON object with `--json`.
 */
import { markerVerificationToJson } from '@tapelog/markers';
import { formatFinding, type VerifyReport } from '@tapelog/recovery';
import { toJson } from './json-output.js';
import type { MarkerCheck } from './verify-markers.js';

export interface VerifyOutput {
  stdout: string;
  stderr: string;
}

function reportFields(report: VerifyReport, markers: MarkerCheck): string {
  const unchecked = report.unchecked.length === 0 ? '' : ` unchecked=${report.unchecked.join(',')}`;
  const markerFindings = markers.findings === 0 ? '' : ` marker_findings=${markers.findings}`;
  return `run_id=${report.runId} status=${report.status} high_watermark=${report.highWatermark} entries_scanned=${report.entriesScanned}${unchecked} markers=${markers.state}${markerFindings}`;
}

/** Clean when the run has no findings and its marker sidecar is absent or clean. */
export function isCleanVerification(report: VerifyReport, markers: MarkerCheck): boolean {
  return report.findings.length === 0 && (markers.state === 'absent' || markers.state === 'clean');
}

export function reportOutput(report: VerifyReport, markers: MarkerCheck, path: string, json: boolean): VerifyOutput {
  const clean = isCleanVerification(report, markers);
  if (json) {
    const findings = report.findings.map((finding) => ({ ...finding, text: formatFinding(finding) }));
    const result = clean ? 'clean' : 'corrupt';
    const markerSummary = {
      state: markers.state,
      findings: markers.findings,
      ...(markers.verification === undefined ? {} : { verification: markerVerificationToJson(markers.verification) }),
    };
    return {
      stdout: `${toJson({ result, path, ...report, findings, markers: markerSummary, ...(clean ? {} : { quarantine: 'not-performed' }) })}\n`,
      stderr: '',
    };
  }
  if (clean) return { stdout: `clean ${reportFields(report, markers)} chain_head=${report.chainHead ?? '-'}\n`, stderr: '' };
  const lines = [`corrupt ${reportFields(report, markers)} findings=${report.findings.length} quarantine=not-performed`];
  for (const finding of report.findings) lines.push(`- ${formatFinding(finding)}`);
  if (markers.state !== 'clean') for (const line of markers.lines) lines.push(`- markers: ${line}`);
  return { stdout: `${lines.join('\n')}\n`, stderr: '' };
}

/** The run could not be checked because it is damaged (exit 1). `detail` is `error="…"`, `panic="…"` or `worker_status="…"`. */
export function corruptOutput(path: string, field: 'error' | 'panic' | 'worker_status', message: string, json: boolean): VerifyOutput {
  if (json) {
    const key = field === 'worker_status' ? 'workerStatus' : field;
    return { stdout: `${toJson({ result: 'corrupt', path, [key]: message, quarantine: 'not-performed' })}\n`, stderr: '' };
  }
  return { stdout: `corrupt path=${path} ${field}="${message}" quarantine=not-performed\n`, stderr: '' };
}

/** The check could not run (exit 2): missing or unsealed run, backend failure. */
export function errorOutput(path: string, message: string, json: boolean): VerifyOutput {
  if (json) return { stdout: `${toJson({ result: 'error', path, error: message })}\n`, stderr: '' };
  return { stdout: '', stderr: `error path=${path} error="${message}"\n` };
}
