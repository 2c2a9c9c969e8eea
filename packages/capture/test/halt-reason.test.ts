import { closedError, TapelogError } from '@tapelog/core';
import { describe, expect, it } from 'vitest';
import { describeHaltReason, haltReasonFromSubmitError, WRITER_CLOSED_MESSAGE } from '../src/halt-reason.js';

function haltSignaled(extra: Record<string, unknown>): TapelogError {
  return Object.assign(new TapelogError('HALT_SIGNALED', 'submit stalled for 750 ms, halt threshold 250 ms'), extra);
}

describe('haltReasonFromSubmitError', () => {
  it('keeps the stall measurements of a HALT_SIGNALED error', () => {
    expect(haltReasonFromSubmitError(haltSignaled({ stalledForMs: 750, thresholdMs: 250 }))).toEqual({
      kind: 'BackpressureStall',
      stalledForMs: 750,
      thresholdMs: 250,
    });
  });

  it('maps CLOSED to BackendError with the upstream text', () => {
    expect(haltReasonFromSubmitError(closedError('writer is closed'))).toEqual({ kind: 'BackendError', message: WRITER_CLOSED_MESSAGE });
    expect(WRITER_CLOSED_MESSAGE).toBe('event store writer closed');
  });

  it('keeps a halt reason the writer attached to its error', () => {
    const error = haltSignaled({ reason: { kind: 'BackendDisk', message: 'ENOSPC' } });
    expect(haltReasonFromSubmitError(error)).toEqual({ kind: 'BackendDisk', message: 'ENOSPC' });
  });

  it('maps a HALT_SIGNALED error without measurements, and anything else, to BackendError with its message', () => {
    expect(haltReasonFromSubmitError(haltSignaled({}))).toEqual({
      kind: 'BackendError',
      message: 'event store writer halted: submit stalled for 750 ms, halt threshold 250 ms',
    });
    expect(haltReasonFromSubmitError(new Error('boom'))).toEqual({ kind: 'BackendError', message: 'event store writer submit failed: boom' });
    expect(haltReasonFromSubmitError('text')).toEqual({ kind: 'BackendError', message: 'event store writer submit failed: text' });
  });

  it('describes every reason in one line', () => {
    expect(describeHaltReason({ kind: 'BackpressureStall', stalledForMs: 750, thresholdMs: 250 })).toContain('750 ms');
    expect(describeHaltReason({ kind: 'BackendDisk', message: 'ENOSPC' })).toBe('disk error: ENOSPC');
    expect(describeHaltReason({ kind: 'BackendCorrupted', message: 'bad frame' })).toBe('corrupted run: bad frame');
    expect(describeHaltReason({ kind: 'BackendError', message: 'x' })).toBe('x');
  });
});
