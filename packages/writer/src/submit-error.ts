/** The error `submit` throws: the writer is closed, or this very submit crossed the halt threshold. */
import { TapelogError } from '@tapelog/core';

export class SubmitError extends TapelogError {
  /** HALT_SIGNALED only: how long this submit waited for room. */
  readonly stalledForMs?: number;
  /** HALT_SIGNALED only: the configured threshold. */
  readonly thresholdMs?: number;

  private constructor(code: 'HALT_SIGNALED' | 'CLOSED', message: string, stall?: { stalledForMs: number; thresholdMs: number }) {
    super(code, message);
    this.name = 'SubmitError';
    if (stall !== undefined) {
      this.stalledForMs = stall.stalledForMs;
      this.thresholdMs = stall.thresholdMs;
    }
  }

  /** The writer no longer accepts entries: closed, halted earlier, or its thread is gone. */
  static closed(why?: string): SubmitError {
    return new SubmitError('CLOSED', why === undefined ? 'writer is closed' : `writer is closed: ${why}`);
  }

  /** This submit waited past the halt threshold; the halt callback has already run. */
  static haltSignaled(stalledForMs: number, thresholdMs: number): SubmitError {
    return new SubmitError(
      'HALT_SIGNALED',
      `submit stalled for ${stalledForMs.toFixed(1)}ms, halt threshold ${thresholdMs}ms; the writer halted and accepts no more entries`,
      { stalledForMs, thresholdMs },
    );
  }
}
