/**
 * The one error type of tapelog: `TapelogError` with a stable string `code`. Messages may be
 * reworded over time; codes may not. Checks work across duplicate copies of this package.
 */

const BRAND = Symbol.for('tapelog.error');

/**
 * Every code a tapelog package raises; `packages/core/README.md` ("Error codes") says when each
 * is raised. Backends raise the storage codes (`BACKEND` through `INVALID_ARGUMENT`) and `FENCED`.
 */
export type TapelogErrorCode =
  | 'BACKEND'
  | 'CORRUPTED'
  | 'DISK'
  | 'HASH_MISMATCH'
  | 'OUT_OF_ORDER'
  | 'CLOSED'
  | 'GAP'
  | 'CRASHED_PREDECESSOR'
  | 'NOT_SUPPORTED'
  | 'RUN_NOT_FOUND'
  | 'RUN_SEALED'
  | 'RUN_NOT_SEALED'
  | 'RUN_ALREADY_OPEN'
  | 'RUN_MISMATCH'
  | 'UNSUPPORTED_FORMAT'
  | 'ANCHOR_REJECTED'
  | 'INVALID_ARGUMENT'
  | 'WRITER_CLOSED'
  | 'WRITER_DISCONNECTED'
  | 'WRITER_START_FAILED'
  | 'SNAPSHOT_REJECTED'
  | 'HALT_SIGNALED'
  | 'HALTED'
  | 'ENCODE'
  | 'TIMEOUT'
  | 'INVALID_REPLAY_SOURCE'
  | 'INVALID_SEQ_RANGE'
  | 'FENCED'
  | 'PACKAGE_NOT_INSTALLED';

export interface TapelogErrorDetails {
  /** The seq a HASH_MISMATCH or CORRUPTED error concerns. */
  seq?: number;
  /** CORRUPTED: the seq a hash-valid record claims when it is stored under another seq. */
  storedSeq?: number;
  /** OUT_OF_ORDER: the durable high-watermark at the time of the rejected append. */
  highWatermark?: number;
  /** GAP: the last contiguous seq, the next seq found, and the first missing one. */
  prev?: number;
  next?: number;
  missing?: number;
  /** The message without its category prefix (what a halt reason carries). */
  detail?: string;
  cause?: unknown;
}

export class TapelogError extends Error {
  readonly code: TapelogErrorCode;
  readonly detail: string;
  readonly seq?: number;
  readonly storedSeq?: number;
  readonly highWatermark?: number;
  readonly prev?: number;
  readonly next?: number;
  readonly missing?: number;

  constructor(code: TapelogErrorCode, message: string, details: TapelogErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'TapelogError';
    this.code = code;
    this.detail = details.detail ?? message;
    if (details.seq !== undefined) this.seq = details.seq;
    if (details.storedSeq !== undefined) this.storedSeq = details.storedSeq;
    if (details.highWatermark !== undefined) this.highWatermark = details.highWatermark;
    if (details.prev !== undefined) this.prev = details.prev;
    if (details.next !== undefined) this.next = details.next;
    if (details.missing !== undefined) this.missing = details.missing;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** True for any TapelogError, including one thrown by another copy of this package. */
  static isInstance(value: unknown): value is TapelogError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  /** True when `value` is a TapelogError with this code. */
  static hasCode(value: unknown, code: TapelogErrorCode): value is TapelogError {
    return TapelogError.isInstance(value) && value.code === code;
  }
}

/**
 * A storage failure no other code describes (an unexpected error of the underlying engine):
 * `backend error: <detail>`. Cases that have a code of their own never use it.
 */
export function backendError(detail: string, cause?: unknown): TapelogError {
  return new TapelogError('BACKEND', `backend error: ${detail}`, { detail, cause });
}

/** Structural damage: `corrupted run: <detail>`. */
export function corruptedError(detail: string, extra: { seq?: number; storedSeq?: number; cause?: unknown } = {}): TapelogError {
  return new TapelogError('CORRUPTED', `corrupted run: ${detail}`, { detail, ...extra });
}

/** Disk pressure (ENOSPC, EFBIG, EDQUOT): `disk error: <detail>`. The kernel halts on it. */
export function diskError(detail: string, cause?: unknown): TapelogError {
  return new TapelogError('DISK', `disk error: ${detail}`, { detail, cause });
}

export function hashMismatchError(seq: number): TapelogError {
  return new TapelogError('HASH_MISMATCH', `entry hash mismatch at seq ${seq}`, { seq });
}

export function outOfOrderError(highWatermark: number, seq: number): TapelogError {
  return new TapelogError('OUT_OF_ORDER', `out-of-order seq: received ${seq}, expected contiguous after high-watermark ${highWatermark}`, {
    highWatermark,
    seq,
  });
}

export function closedError(detail = 'run is closed'): TapelogError {
  return new TapelogError('CLOSED', detail);
}

export function gapError(prev: number, next: number, missing: number): TapelogError {
  return new TapelogError('GAP', `gap detected: missing seq ${missing} between ${prev} and ${next}`, {
    prev,
    next,
    missing,
  });
}

export function crashedPredecessorError(location: string): TapelogError {
  return new TapelogError(
    'CRASHED_PREDECESSOR',
    `crashed predecessor run requires sealing: ${location} exists and is still Running; recover it with openForRecovery and seal it`,
    { detail: 'crashed predecessor run requires sealing' },
  );
}

/**
 * A writer whose run was taken over (recovered by another process after it lost its liveness):
 * its writes are refused, never interleaved with the new owner's. The writer must halt.
 */
export function fencedError(location: string, detail: string): TapelogError {
  const text = `run ${location} is fenced: ${detail}; this writer no longer owns the run and must stop`;
  return new TapelogError('FENCED', `fenced: ${text}`, { detail: text });
}

export function notSupportedError(what: string): TapelogError {
  return new TapelogError('NOT_SUPPORTED', `not supported: ${what}`, { detail: what });
}

/** RUN_NOT_FOUND: no run (or marker store) exists at `location`. */
export function runNotFoundError(location: string): TapelogError {
  return new TapelogError('RUN_NOT_FOUND', `no run file at ${location}`);
}

/** RUN_SEALED: the run at `location` is sealed, so it cannot be created again or recovered. */
export function runSealedError(location: string, status: string): TapelogError {
  return new TapelogError('RUN_SEALED', `run file at ${location} already sealed, status was ${status}; a successor run needs a new run id`);
}

/** RUN_NOT_SEALED: a sealed run was required (read-only open, verify) but the run is still Running. */
export function runNotSealedError(location: string, status: string, advice = ''): TapelogError {
  return new TapelogError('RUN_NOT_SEALED', `run file at ${location} is not sealed, status was ${status}${advice}`);
}

/** RUN_ALREADY_OPEN: another store holds the run open; one open store per run. */
export function runAlreadyOpenError(location: string, cause?: unknown): TapelogError {
  return new TapelogError('RUN_ALREADY_OPEN', `run ${location} is already open; close that store before opening it again`, { cause });
}

/** ANCHOR_REJECTED: a snapshot anchor past the durable hwm, or older than the latest anchor. */
export function anchorRejectedError(detail: string): TapelogError {
  return new TapelogError('ANCHOR_REJECTED', `snapshot anchor rejected: ${detail}`, { detail });
}

/** INVALID_ARGUMENT: a call the contract forbids whatever the state (sealing with status Running …). */
export function invalidArgumentError(detail: string): TapelogError {
  return new TapelogError('INVALID_ARGUMENT', `invalid argument: ${detail}`, { detail });
}

/** WRITER_CLOSED: the writer was closed (or is closing) before the call. */
export function writerClosedError(detail: string): TapelogError {
  return new TapelogError('WRITER_CLOSED', `writer is closed: ${detail}`, { detail });
}

const DISK_PRESSURE_CODES = new Set(['ENOSPC', 'EFBIG', 'EDQUOT']);

/** True for the errno codes that mean the disk is full or a size limit was hit. */
export function isDiskPressure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && DISK_PRESSURE_CODES.has(code)) return true;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && /\b(ENOSPC|EFBIG|EDQUOT)\b|No space left on device|File too large|Disk quota exceeded/i.test(message);
}
