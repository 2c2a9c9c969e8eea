/** @tapelog/capture: the encoder registry, the bus capture adapter and the event-store bus tap. */

export type { BusCaptureAdapterOptions, DraftSink } from './adapter.js';
export { BusCaptureAdapter } from './adapter.js';
export type { BusTap, TapHost } from './bus-tap.js';
export { DATA_RESPONSE_TOPIC, TIME_EVENT_TOPIC } from './bus-tap.js';
export type { EncodedEntry, EncodedPayload } from './encoded-payload.js';
export { EncodeError, HaltedError } from './errors.js';
export type { CaptureLogger, EventStoreTap, EventStoreTapOptions, MarkerObserver } from './event-store-tap.js';
export { createEventStoreTap, HALTED_LOG_MESSAGE } from './event-store-tap.js';
export type { CaptureHaltCallback, CaptureHaltReason } from './halt-reason.js';
export { describeHaltReason, haltReasonFromSubmitError, WRITER_CLOSED_MESSAGE } from './halt-reason.js';
export type { MsgpackEncoderOptions } from './msgpack-encoder.js';
export { decodeMsgpackPayload, msgpackEncoder } from './msgpack-encoder.js';
export { RECENT_IDENTITY_CAPACITY } from './recent-identities.js';
export type {
  Encoder,
  EnvelopeUnwrap,
  Extractors,
  HeadersExtractor,
  IdentityExtractor,
  MessageClass,
  TypeKey,
} from './registry.js';
export { EncoderRegistry } from './registry.js';
export { SubmitCounter } from './submit-counter.js';
