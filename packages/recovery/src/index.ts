/** @tapelog/recovery: the recovery sweep, the verifier, replay from sealed runs and retention planning. */

export type { ForensicsReplayChunk, ForensicsReplayPlan, ReplayFilter, ReplaySeqRange, ReplayTimeRange } from './forensics-replay.js';
export { loadForensicsReplay, planForensicsReplay, streamForensicsReplay, validateReplaySeqRange } from './forensics-replay.js';
export type { BackendModuleSpec, ReaderIsolation, ReaderJob } from './reader-process.js';
export { runInReaderProcess } from './reader-process.js';
export type { RecoveredRun, RecoverPredecessorsOptions, RecoveryLogger, RecoveryOutcome, SkippedRun } from './recovery-sweep.js';
export { recoverPredecessors } from './recovery-sweep.js';
export { openReplaySource, validateReplaySource } from './replay-source.js';
export type { RestoreReport, RestoreTarget } from './restore.js';
export { probeRestoreSource, probeRestoreSourceIsolated, restoreFromSealedRun } from './restore.js';
export type { RetentionMode, RetentionPlan, RetentionRun, SnapshotAnchorStatus } from './retention.js';
export { isKnownGoodRestorePoint, planRetention } from './retention.js';
export { listSealedRuns, planProviderRetention, snapshotAnchorStatus } from './retention-listing.js';
export type { TailClassification } from './tail-classification.js';
export { classifyTail, RECOVERY_SCAN_CHUNK_SIZE } from './tail-classification.js';
export type { VerifierOptions } from './verifier.js';
export { DEFAULT_VERIFY_INDEX_KINDS, VERIFY_LOOKUP_ROWS, VERIFY_SCAN_CHUNK_SIZE, Verifier } from './verifier.js';
export type { ManifestField, VerifyFinding, VerifyFindingKind, VerifyReport } from './verify-findings.js';
export { formatFinding, isCleanReport } from './verify-findings.js';
