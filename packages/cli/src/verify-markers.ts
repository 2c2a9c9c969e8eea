/**
 * The marker-sidecar half of `tapelog verify`: a run's market-data marker store
 * (`<runId>.markers.level`), when there is one, is verified with the run, against the run's
 * durable high-watermark, and summarised as `markers=absent|clean|corrupt|error`.
 */
import { existsSync } from 'node:fs';
import { formatMarkerVerification, type MarkerStoreVerification } from '@tapelog/markers';
import { markersPath, verifyMarkerStore } from '@tapelog/markers-level';
import type { RunCoordinates } from './run-path.js';

export interface MarkerCheck {
  state: 'absent' | 'clean' | 'corrupt' | 'error';
  /** Marker findings counted; a store that cannot be read at all counts as one. */
  findings: number;
  /** The marker command's lines (summary, gaps, findings); empty when absent. */
  lines: string[];
  verification?: MarkerStoreVerification;
}

export async function checkRunMarkers(coordinates: RunCoordinates, entryHighWatermark: number): Promise<MarkerCheck> {
  const path = markersPath(coordinates.baseDir, coordinates.instanceId, coordinates.runId);
  if (!existsSync(path)) return { state: 'absent', findings: 0, lines: [] };
  const verification = await verifyMarkerStore(path, { entryHighWatermark, expectedRunId: coordinates.runId });
  const findings = verification.report?.findings.length ?? (verification.verdict === 'clean' ? 0 : 1);
  return { state: verification.verdict, findings, lines: formatMarkerVerification(verification), verification };
}
