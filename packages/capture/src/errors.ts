/**
 * The errors a capture can raise: `EncodeError` (code `ENCODE`) when a message cannot be turned
 * into a valid entry, and `HaltedError` (code `HALTED`) once a failed submit has stopped capture.
 */
import { TapelogError } from '@tapelog/core';
import type { CaptureHaltReason } from './halt-reason.js';
import { describeHaltReason } from './halt-reason.js';

/**
 * A registered encoder, envelope unwrap or extractor threw, or returned something that is not a
 * valid entry. The message was not recorded; the adapter stays live, because one bad encoder
 * must not stop the capture of every other message.
 */
export class EncodeError extends TapelogError {
  /** The registered payload type (or type key) whose encoding failed, when known. */
  readonly payloadType: string | undefined;

  constructor(detail: string, options: { payloadType?: string; cause?: unknown } = {}) {
    const subject = options.payloadType === undefined ? '' : ` (${options.payloadType})`;
    super('ENCODE', `encode failure${subject}: ${detail}; fix the encoder, unwrap or extractor registered for this type`, {
      detail,
      cause: options.cause,
    });
    this.name = 'EncodeError';
    this.payloadType = options.payloadType;
  }
}

/**
 * A previous submit failed, so the adapter has fail-stopped: nothing more is recorded for this
 * run. Carries the reason the halt callback received and the writer's original error.
 */
export class HaltedError extends TapelogError {
  readonly reason: CaptureHaltReason;

  constructor(reason: CaptureHaltReason, cause: unknown) {
    super(
      'HALTED',
      `capture adapter halted (${describeHaltReason(reason)}); state-affecting messages are no longer recorded for this run, the kernel must stop and the next boot recovers the run`,
      { detail: 'capture adapter halted', cause },
    );
    this.name = 'HaltedError';
    this.reason = reason;
  }
}
