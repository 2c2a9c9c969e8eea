/**
 * The verify button's child process: verifies one sealed run (and its marker sidecar) with
 * `@tapelog/recovery`'s verifier, sends the report to the server and exits. A run that makes the
 * verifier crash or hang takes down this process only; the server reports that as the verdict.
 */
import { existsSync } from 'node:fs';
import { createProvider as createLevelProvider, markersPath } from '@tapelog/backend-level';
import { type EventStoreProvider, TapelogError } from '@tapelog/core';
import { formatMarkerVerification } from '@tapelog/markers';
import { verifyMarkerStore } from '@tapelog/markers-level';
import { formatFinding, Verifier } from '@tapelog/recovery';
import { RunCopies } from './reader/run-copies.js';
import { parseStoreLocation } from './store-location.js';
import type { VerifyJob, VerifyResult } from './verify-protocol.js';

async function provider(job: VerifyJob, copies: RunCopies | undefined): Promise<EventStoreProvider> {
  if (copies !== undefined) return createLevelProvider({ baseDir: copies.baseDir }, { warn: () => {} });
  const location = parseStoreLocation(job.store);
  if (location.kind !== 'postgres') throw new TapelogError('INVALID_ARGUMENT', 'unreachable: a LevelDB store is verified from a copy');
  const { createProvider } = await import('@tapelog/backend-postgres');
  return createProvider(
    { connectionString: location.connectionString, ...(location.schema === undefined ? {} : { schema: location.schema }) },
    { warn: () => {} },
  );
}

async function verify(job: VerifyJob): Promise<VerifyResult> {
  const location = parseStoreLocation(job.store);
  const copies = location.kind === 'level' ? new RunCopies(location.baseDir, job.copiesDirectory) : undefined;
  copies?.ensure(job.instanceId, job.runId);
  let verifier: Verifier;
  try {
    verifier = await Verifier.openSealed(await provider(job, copies), job.instanceId, job.runId);
  } catch (error) {
    const corrupt = TapelogError.hasCode(error, 'CORRUPTED') || TapelogError.hasCode(error, 'UNSUPPORTED_FORMAT');
    return { verdict: corrupt ? 'corrupt' : 'error', findings: [], error: error instanceof Error ? error.message : String(error) };
  }
  try {
    const report = await verifier.verify();
    const findings = report.findings.map((finding) => formatFinding(finding));
    let markers: VerifyResult['markers'];
    if (copies !== undefined && existsSync(markersPath(copies.baseDir, job.instanceId, job.runId))) {
      const copy = markersPath(copies.baseDir, job.instanceId, job.runId);
      const verification = await verifyMarkerStore(copy, { entryHighWatermark: report.highWatermark });
      // The lines name the sidecar where it lies, not the private copy that was read.
      const original = markersPath(location.kind === 'level' ? location.baseDir : '', job.instanceId, job.runId);
      markers = { state: verification.verdict, lines: formatMarkerVerification(verification).map((line) => line.split(copy).join(original)) };
    }
    const markersClean = markers === undefined || markers.state === 'clean';
    return {
      verdict: findings.length === 0 && markersClean ? 'clean' : 'corrupt',
      findings,
      highWatermark: report.highWatermark,
      entriesScanned: report.entriesScanned,
      chainHead: report.chainHead ?? null,
      unchecked: report.unchecked,
      ...(markers === undefined ? {} : { markers }),
    };
  } finally {
    await verifier.close().catch(() => {});
  }
}

process.once('message', (job: VerifyJob) => {
  verify(job).then(
    (result) => process.send?.(result, () => process.exit(0)),
    (error: unknown) =>
      process.send?.({ verdict: 'corrupt', findings: [], error: error instanceof Error ? error.message : String(error) } satisfies VerifyResult, () =>
        process.exit(0),
      ),
  );
});
