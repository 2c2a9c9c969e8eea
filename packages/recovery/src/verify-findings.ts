/**
 * What the verifier can find wrong with a run, and the one-line text of each finding that the
 * `tapelog verify` output and logs use (the upstream line formats, plus tapelog's own kinds).
 */
import { INDEX_KIND_CLIENT_ORDER_ID, INDEX_KIND_VENUE_ORDER_ID, type RunStatus } from '@tapelog/core';

export type ManifestField = 'HighWatermark' | 'StartTsInit' | 'EndTsInit';

export type VerifyFinding =
  /** The stored entry hash disagrees with the hash recomputed from the entry. */
  | { kind: 'HashMismatch'; seq: number }
  /** Slots `from..to` (inclusive) inside the durable high-watermark hold no row. */
  | { kind: 'Gap'; from: number; to: number }
  /** The row under `tableKey` is a valid entry of another seq (moved or duplicated). */
  | { kind: 'SeqMismatch'; tableKey: number; embeddedSeq: number }
  /** The row under `seq` does not decode (tapelog reports it; upstream aborted the whole check). */
  | { kind: 'UndecodableEntry'; seq: number; reason: string }
  /** An index key points at a missing or damaged row. */
  | { kind: 'IndexDrift'; indexKind: string; key: string; drift: 'DanglingTarget' | 'TargetCorrupted'; storedSeq: number }
  /** The rows of one index kind could not be listed (a damaged row); the other checks still ran. */
  | { kind: 'IndexUnreadable'; indexKind: string; reason: string }
  /**
   * The rows of one index kind disagree with what the run committed to at seal (rows vanished,
   * appeared or changed), or a point lookup disagrees with the listing (`key` names the row).
   */
  | { kind: 'IndexMismatch'; indexKind: string; key?: string; reason: string }
  /** The snapshot anchor disagrees with the one the run committed to at seal. */
  | { kind: 'AnchorMismatch'; reason: string }
  /** A point read of an entry disagrees with the range scan of the same seq. */
  | { kind: 'ReadMismatch'; seq: number; reason: string }
  | { kind: 'ManifestMismatch'; field: ManifestField; reason: string }
  | { kind: 'SnapshotAnchorInvalid'; reason: string }
  /** The manifest's chain head differs from the one recomputed over seq 1..hwm. */
  | { kind: 'ChainHeadMismatch'; manifestChainHead: string; computedChainHead: string };

export type VerifyFindingKind = VerifyFinding['kind'];

export interface VerifyReport {
  runId: string;
  status: RunStatus;
  /** The durable high-watermark that was walked. */
  highWatermark: number;
  /** Slots read: clean, hash-mismatched, seq-mismatched and undecodable rows; gaps excluded. */
  entriesScanned: number;
  /** The chain head recomputed over seq 1..hwm; absent when a slot was missing or damaged. */
  chainHead?: string;
  /** Every finding: entry walk in seq order, then index drift, anchor, manifest, chain head. */
  findings: VerifyFinding[];
  /**
   * What could not be checked: `index-rows` and `snapshot-anchor` for runs sealed without an
   * integrity commitment (manifest record version 1). Empty when everything was checked.
   */
  unchecked: UncheckedPart[];
}

export type UncheckedPart = 'index-rows' | 'snapshot-anchor';

export function isCleanReport(report: VerifyReport): boolean {
  return report.findings.length === 0;
}

/** Upstream's display names for the built-in index kinds; other kinds print as stored. */
function indexKindName(kind: string): string {
  if (kind === INDEX_KIND_CLIENT_ORDER_ID) return 'ClientOrderId';
  if (kind === INDEX_KIND_VENUE_ORDER_ID) return 'VenueOrderId';
  return kind;
}

/** The finding as one line of text, without the leading `- ` of the verify output. */
export function formatFinding(finding: VerifyFinding): string {
  switch (finding.kind) {
    case 'HashMismatch':
      return `hash mismatch at seq ${finding.seq}`;
    case 'Gap':
      return `gap from seq ${finding.from} to ${finding.to}`;
    case 'SeqMismatch':
      return `seq mismatch at table key ${finding.tableKey}: embedded seq was ${finding.embeddedSeq}`;
    case 'UndecodableEntry':
      return `undecodable entry at seq ${finding.seq}: ${finding.reason}`;
    case 'IndexDrift':
      return `index drift ${indexKindName(finding.indexKind)} key=${finding.key}: ${finding.drift === 'DanglingTarget' ? 'dangling' : 'corrupted'} target seq ${finding.storedSeq}`;
    case 'IndexUnreadable':
      return `index unreadable ${indexKindName(finding.indexKind)}: ${finding.reason}`;
    case 'IndexMismatch':
      return `index mismatch ${indexKindName(finding.indexKind)}${finding.key === undefined ? '' : ` key=${finding.key}`}: ${finding.reason}`;
    case 'AnchorMismatch':
      return `snapshot anchor mismatch: ${finding.reason}`;
    case 'ReadMismatch':
      return `read mismatch at seq ${finding.seq}: ${finding.reason}`;
    case 'ManifestMismatch':
      return `manifest mismatch ${finding.field}: ${finding.reason}`;
    case 'SnapshotAnchorInvalid':
      return `snapshot anchor invalid: ${finding.reason}`;
    case 'ChainHeadMismatch':
      return `chain head mismatch: manifest chain_head ${finding.manifestChainHead} disagrees with recomputed ${finding.computedChainHead}`;
  }
}
