/**
 * Why the capture adapter halted, derived from what the writer's `submit` threw, and the shape
 * of the adapter's halt callback. The union mirrors the writer's `HaltReason` (`@tapelog/writer` README, "Halts") so a
 * lifecycle can feed both into one halt signal.
 */
import { TapelogError } from '@tapelog/core';

export type CaptureHaltReason =
  | { kind: 'BackpressureStall'; stalledForMs: number; thresholdMs: number }
  | { kind: 'BackendDisk'; message: string }
  | { kind: 'BackendCorrupted'; message: string }
  | { kind: 'BackendError'; message: string };

/**
 * Called once, synchronously, by the adapter whose submit failed first. `error` is exactly what
 * the writer threw, for callers that want their own mapping. Must be idempotent when shared
 * with the writer's own halt callback: both may fire for one failure.
 */
export type CaptureHaltCallback = (reason: CaptureHaltReason, error: unknown) => void;

/** The reason upstream reports for a closed writer; kept verbatim. */
export const WRITER_CLOSED_MESSAGE = 'event store writer closed';

const REASON_KINDS = new Set(['BackpressureStall', 'BackendDisk', 'BackendCorrupted', 'BackendError']);

function isHaltReason(value: unknown): value is CaptureHaltReason {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  if (!REASON_KINDS.has(candidate.kind as string)) return false;
  if (candidate.kind === 'BackpressureStall') {
    return typeof candidate.stalledForMs === 'number' && typeof candidate.thresholdMs === 'number';
  }
  return typeof candidate.message === 'string';
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Maps a submit failure to a halt reason. A writer error that carries its own `reason` keeps
 * it (the writer knows best); a stall keeps its measurements so the kernel sees the same
 * backpressure context as the writer's callback; `CLOSED` becomes `BackendError` with the
 * upstream text; anything else is a `BackendError` with the error's message.
 */
export function haltReasonFromSubmitError(error: unknown): CaptureHaltReason {
  const carried = (error as { reason?: unknown } | null)?.reason;
  if (isHaltReason(carried)) return { ...carried };
  if (TapelogError.hasCode(error, 'HALT_SIGNALED')) {
    const measured = error as unknown as { stalledForMs?: unknown; thresholdMs?: unknown };
    if (typeof measured.stalledForMs === 'number' && typeof measured.thresholdMs === 'number') {
      return { kind: 'BackpressureStall', stalledForMs: measured.stalledForMs, thresholdMs: measured.thresholdMs };
    }
    return { kind: 'BackendError', message: `event store writer halted: ${error.message}` };
  }
  if (TapelogError.hasCode(error, 'CLOSED')) return { kind: 'BackendError', message: WRITER_CLOSED_MESSAGE };
  return { kind: 'BackendError', message: `event store writer submit failed: ${messageOf(error)}` };
}

/** One line for logs and error messages. */
export function describeHaltReason(reason: CaptureHaltReason): string {
  switch (reason.kind) {
    case 'BackpressureStall':
      return `backpressure stall: submit stalled for ${reason.stalledForMs} ms, halt threshold ${reason.thresholdMs} ms`;
    case 'BackendDisk':
      return `disk error: ${reason.message}`;
    case 'BackendCorrupted':
      return `corrupted run: ${reason.message}`;
    case 'BackendError':
      return reason.message;
  }
}
