/** @tapelog/capture: the encoder registry, the bus capture adapter and the event-store bus tap. */
export { EncoderRegistry } from './registry.js';
export type {
  Encoder,
  EnvelopeUnwrap,
  Extractors,
  HeadersExtractor,
  IdentityExtractor,
  MessageClass,
  TypeKey,
} from './registry.js';
export type { EncodedEntry, EncodedPayload } from './encoded-payload.js';
export { decodeMsgpackPayload, msgpackEncoder } from './msgpack-encoder.js';
export type { MsgpackEncoderOptions } from './msgpack-encoder.js';
export { BusCaptureAdapter } from './adapter.js';
export type { BusCaptureAdapterOptions, DraftSink } from './adapter.js';
export { SubmitCounter } from './submit-counter.js';
export { RECENT_IDENTITY_CAPACITY } from './recent-identities.js';
export { EncodeError, HaltedError } from './errors.js';
export { WRITER_CLOSED_MESSAGE, describeHaltReason, haltReasonFromSubmitError } from './halt-reason.js';
export type { CaptureHaltCallback, CaptureHaltReason } from './halt-reason.js';
export { DATA_RESPONSE_TOPIC, TIME_EVENT_TOPIC } from './bus-tap.js';
export type { BusTap, TapHost } from './bus-tap.js';
export { HALTED_LOG_MESSAGE, createEventStoreTap } from './event-store-tap.js';
export type { CaptureLogger, EventStoreTap, EventStoreTapOptions, MarkerObserver } from './event-store-tap.js';
