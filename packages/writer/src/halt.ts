/**
 * Why a writer stopped accepting entries (`HaltReason`), the mapping from backend errors to
 * reasons, and the fire-once latch every writer uses to call the halt callback.
 */
import { TapelogError } from '@tapelog/core';

export type HaltReason =
  | { kind: 'BackpressureStall'; stalledForMs: number; thresholdMs: number }
  | { kind: 'BackendDisk'; message: string }
  | { kind: 'BackendCorrupted'; message: string }
  /** `code` is the TapelogError code when there was one (FENCED, BACKEND …), so callers can tell them apart. */
  | { kind: 'BackendError'; message: string; code?: string };

export type HaltCallback = (reason: HaltReason) => void;

/**
 * DISK and CORRUPTED carry the inner message (without the `disk error:` prefix); every other
 * error carries its full display string, as upstream does.
 */
export function haltReasonFromError(error: unknown): HaltReason {
  if (TapelogError.isInstance(error)) {
    if (error.code === 'DISK') return { kind: 'BackendDisk', message: error.detail };
    if (error.code === 'CORRUPTED') return { kind: 'BackendCorrupted', message: error.detail };
    return { kind: 'BackendError', message: error.message, code: error.code };
  }
  if (error instanceof Error) return { kind: 'BackendError', message: error.message };
  return { kind: 'BackendError', message: String(error) };
}

/** A halt callback that does nothing. */
export function noopHalt(): HaltCallback {
  return () => {};
}

/** One line for logs and error messages. */
export function describeHaltReason(reason: HaltReason): string {
  if (reason.kind === 'BackpressureStall') {
    return `BackpressureStall: stalled for ${reason.stalledForMs.toFixed(1)}ms, halt threshold ${reason.thresholdMs}ms`;
  }
  return `${reason.kind}: ${reason.message}`;
}

/**
 * Calls the halt callback at most once, whichever path notices the halt first. A callback that
 * throws must not break the writer's own bookkeeping, so its error is reported, not rethrown.
 */
export class HaltLatch {
  readonly #callback: HaltCallback;
  #reason: HaltReason | undefined;

  constructor(callback: HaltCallback | undefined) {
    this.#callback = callback ?? noopHalt();
  }

  get fired(): boolean {
    return this.#reason !== undefined;
  }

  get reason(): HaltReason | undefined {
    return this.#reason;
  }

  /** Records `reason` and calls the callback, unless a halt already fired. */
  fire(reason: HaltReason): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    try {
      this.#callback(reason);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}
