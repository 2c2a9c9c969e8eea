/**
 * The encoder registry: the allow-list of message types that are state-affecting, and for each
 * one how to encode it, which headers it carries and which identity dedups it. A message whose
 * exact type has no registration is never captured, and that is not an error.
 */
import { type Headers, isCanonicalUuid4 } from '@tapelog/core';
import { markHeadersChecked } from './checked-headers.js';
import { type EncodedEntry, type EncodedPayload, resolveEncodedPayload } from './encoded-payload.js';
import { EncodeError } from './errors.js';

/** A class whose instances are messages; matched by identity of its prototype, never by subclass. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MessageClass<M = unknown> = abstract new (...args: never[]) => M;

/**
 * What identifies a message's type: a class (its instances match, its subclasses' do not), or a
 * string tag compared with the message's own `type` property.
 */
export type TypeKey = string | MessageClass;

export type Encoder<M> = (message: M) => EncodedPayload;
/** Correlation and causation ids of a message, as canonical version-4 UUID text. */
export type HeadersExtractor<M> = (message: M) => Headers;
/** The id naming one logical message (a command id or an event id); `undefined` when it has none. */
export type IdentityExtractor<M> = (message: M) => string | undefined;
/** The inner message a wrapper carries, or `undefined` when this variant is not captured. */
export type EnvelopeUnwrap<M> = (envelope: M) => unknown;

export interface Extractors<M> {
  headers?: HeadersExtractor<M>;
  identity?: IdentityExtractor<M>;
}

interface EncoderRegistration {
  readonly envelope: false;
  readonly label: string;
  readonly payloadType: string;
  readonly encode: Encoder<unknown>;
  readonly headers: HeadersExtractor<unknown> | undefined;
  readonly identity: IdentityExtractor<unknown> | undefined;
}

interface EnvelopeRegistration {
  readonly envelope: true;
  readonly label: string;
  readonly unwrap: EnvelopeUnwrap<unknown>;
}

type Registration = EncoderRegistration | EnvelopeRegistration;

/** Envelopes may wrap envelopes; a cycle is a configuration bug, so stop well before it hurts. */
const MAX_ENVELOPE_DEPTH = 8;

const EMPTY_HEADERS: Headers = Object.freeze({});

function describeTypeKey(typeKey: TypeKey): string {
  return typeof typeKey === 'string' ? typeKey : typeKey.name || '(anonymous class)';
}

function prototypeOf(typeKey: unknown): object {
  if (typeof typeKey !== 'function') {
    throw new TypeError(`a type key is a class or a non-empty string tag, got ${typeof typeKey}`);
  }
  const prototype = (typeKey as { prototype?: unknown }).prototype;
  if (typeof prototype !== 'object' || prototype === null) {
    throw new TypeError(`type key ${typeKey.name || '(anonymous)'} has no prototype: register a class, not an arrow function`);
  }
  if (typeKey === Object) {
    throw new TypeError('Object cannot be a type key: register plain-object messages by their string tag (message.type)');
  }
  return prototype;
}

function assertPayloadType(payloadType: unknown): asserts payloadType is string {
  if (typeof payloadType !== 'string' || payloadType.length === 0) {
    throw new TypeError(`a payload type is a non-empty string, got ${JSON.stringify(payloadType)}`);
  }
}

function assertOptionalFunction(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') throw new TypeError(`${name} must be a function`);
}

/**
 * The two header ids checked last. An intent's correlation id repeats on every message it
 * causes, so most checks end at an identity comparison with one of them.
 */
let lastValidId: string | undefined;
let previousValidId: string | undefined;

function checkHeaderId(name: string, value: unknown, label: string): void {
  if (value === undefined || value === lastValidId || value === previousValidId) return;
  if (typeof value !== 'string' || !isCanonicalUuid4(value)) {
    throw new EncodeError(`the headers extractor returned ${name} ${JSON.stringify(value)}, which is not canonical lowercase version-4 UUID text`, {
      payloadType: label,
    });
  }
  previousValidId = lastValidId;
  lastValidId = value;
}

function callerFailure(what: string, label: string, error: unknown): EncodeError {
  if (error instanceof EncodeError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new EncodeError(`${what} threw: ${message}`, { payloadType: label, cause: error });
}

export class EncoderRegistry {
  readonly #byPrototype = new Map<object, Registration>();
  readonly #byTag = new Map<string, Registration>();
  /**
   * The inner message of the last successful `#resolve` (the message itself without envelopes).
   * Read right after the call: resolving runs three times per captured message, and a result
   * object per call was garbage on the bus thread.
   */
  #resolvedMessage: unknown;

  /**
   * Registers (or replaces) the encoder of one exact type. Re-registering replaces the payload
   * type and encoder; each extractor given replaces the old one and each one omitted is kept,
   * so a later `register` cannot silently drop the dedup identity of a type.
   */
  register<M>(typeKey: MessageClass<M>, payloadType: string, encode: Encoder<M>, extractors?: Extractors<M>): void;
  register<M = unknown>(typeKey: string, payloadType: string, encode: Encoder<M>, extractors?: Extractors<M>): void;
  register<M>(typeKey: TypeKey, payloadType: string, encode: Encoder<M>, extractors: Extractors<M> = {}): void {
    assertPayloadType(payloadType);
    if (typeof encode !== 'function') throw new TypeError('encode must be a function');
    assertOptionalFunction('extractors.headers', extractors.headers);
    assertOptionalFunction('extractors.identity', extractors.identity);
    const previous = this.#get(typeKey);
    const kept = previous !== undefined && !previous.envelope ? previous : undefined;
    this.#set(typeKey, {
      envelope: false,
      label: payloadType,
      payloadType,
      encode: encode as Encoder<unknown>,
      headers: (extractors.headers as HeadersExtractor<unknown> | undefined) ?? kept?.headers,
      identity: (extractors.identity as IdentityExtractor<unknown> | undefined) ?? kept?.identity,
    });
  }

  /**
   * Registers a wrapper type: its messages are stored exactly as the inner message `unwrap`
   * returns (the inner payload type, payload, index keys, headers and identity), so a message
   * captured through a wrapper and captured bare give the same entry and dedup together.
   */
  registerEnvelope<M>(typeKey: MessageClass<M>, unwrap: EnvelopeUnwrap<M>): void;
  registerEnvelope<M = unknown>(typeKey: string, unwrap: EnvelopeUnwrap<M>): void;
  registerEnvelope<M>(typeKey: TypeKey, unwrap: EnvelopeUnwrap<M>): void {
    if (typeof unwrap !== 'function') throw new TypeError('unwrap must be a function');
    this.#set(typeKey, { envelope: true, label: describeTypeKey(typeKey), unwrap: unwrap as EnvelopeUnwrap<unknown> });
  }

  /** Whether this exact type key has a registration (encoder or envelope). */
  contains(typeKey: TypeKey): boolean {
    return this.#get(typeKey) !== undefined;
  }

  /** How many type keys are registered; re-registering a key does not change it. */
  get size(): number {
    return this.#byPrototype.size + this.#byTag.size;
  }

  /**
   * Encodes `message`: `undefined` when its type is not registered (or its envelope carries a
   * variant that is not captured); otherwise the final payload type, payload and index keys.
   * Throws `EncodeError` when an encoder or unwrap fails or returns something invalid.
   */
  encode(message: unknown): EncodedEntry | undefined {
    const registration = this.#resolve(message);
    if (registration === undefined) return undefined;
    let result: unknown;
    try {
      result = registration.encode(this.#resolvedMessage);
    } catch (error) {
      throw callerFailure('the encoder', registration.label, error);
    }
    return resolveEncodedPayload(result, registration.payloadType);
  }

  /**
   * The headers of `message`: `undefined` when it is not captured, empty headers when its type
   * has no headers extractor. Throws `EncodeError` when the extractor fails or returns ids that
   * are not canonical version-4 UUID text.
   */
  headersFor(message: unknown): Headers | undefined {
    const registration = this.#resolveQuietly(message);
    if (registration === undefined) return undefined;
    if (registration.headers === undefined) return EMPTY_HEADERS;
    let headers: Headers;
    try {
      headers = registration.headers(this.#resolvedMessage);
    } catch (error) {
      throw callerFailure('the headers extractor', registration.label, error);
    }
    if (typeof headers !== 'object' || headers === null) {
      throw new EncodeError(`the headers extractor returned ${String(headers)} instead of { correlationId?, causationId? }`, {
        payloadType: registration.label,
      });
    }
    checkHeaderId('correlationId', headers.correlationId, registration.label);
    checkHeaderId('causationId', headers.causationId, registration.label);
    markHeadersChecked(headers);
    return headers;
  }

  /**
   * The dedup identity of `message`: `undefined` when it is not captured, its type has no
   * identity extractor, or the extractor finds none. Throws `EncodeError` when the extractor
   * fails or returns something other than a non-empty string.
   */
  identityFor(message: unknown): string | undefined {
    const registration = this.#resolve(message);
    if (registration === undefined || registration.identity === undefined) return undefined;
    let identity: unknown;
    try {
      identity = registration.identity(this.#resolvedMessage);
    } catch (error) {
      throw callerFailure('the identity extractor', registration.label, error);
    }
    if (identity === undefined || identity === null) return undefined;
    if (typeof identity !== 'string' || identity.length === 0) {
      throw new EncodeError(`the identity extractor returned ${JSON.stringify(identity)}; an identity is a non-empty string`, {
        payloadType: registration.label,
      });
    }
    return identity;
  }

  #get(typeKey: TypeKey): Registration | undefined {
    if (typeof typeKey === 'string') return this.#byTag.get(typeKey);
    return this.#byPrototype.get(prototypeOf(typeKey));
  }

  #set(typeKey: TypeKey, registration: Registration): void {
    if (typeof typeKey === 'string') {
      if (typeKey.length === 0) throw new TypeError('a string type key must be non-empty');
      this.#byTag.set(typeKey, registration);
    } else {
      this.#byPrototype.set(prototypeOf(typeKey), registration);
    }
  }

  /** The exact registration of `message`: its own prototype first, then its `type` tag. */
  #lookup(message: unknown): Registration | undefined {
    if (typeof message !== 'object' || message === null) return undefined;
    if (this.#byPrototype.size > 0) {
      // The message's own prototype only: a subclass instance is a different type.
      const registration = this.#byPrototype.get(Object.getPrototypeOf(message) as object);
      if (registration !== undefined) return registration;
    }
    if (this.#byTag.size > 0) {
      const tag = (message as { type?: unknown }).type;
      if (typeof tag === 'string') return this.#byTag.get(tag);
    }
    return undefined;
  }

  /** Follows envelopes to the encoder registration of the inner message (then in `#resolvedMessage`). */
  #resolve(message: unknown): EncoderRegistration | undefined {
    let registration = this.#lookup(message);
    let current = message;
    for (let depth = 0; registration?.envelope; depth++) {
      if (depth === MAX_ENVELOPE_DEPTH) {
        throw new EncodeError(`envelopes nest deeper than ${MAX_ENVELOPE_DEPTH}; check the unwrap functions for a cycle`, {
          payloadType: registration.label,
        });
      }
      const envelope = registration;
      try {
        current = envelope.unwrap(current);
      } catch (error) {
        throw callerFailure('the envelope unwrap', envelope.label, error);
      }
      if (current === undefined) return undefined;
      registration = this.#lookup(current);
      if (registration === undefined) {
        throw new EncodeError('the envelope carried an inner message whose type is not registered; register the inner type', {
          payloadType: envelope.label,
        });
      }
    }
    if (registration === undefined) return undefined;
    this.#resolvedMessage = current;
    return registration;
  }

  /** As #resolve, but a failure to resolve means "no headers known" rather than an error. */
  #resolveQuietly(message: unknown): EncoderRegistration | undefined {
    try {
      return this.#resolve(message);
    } catch {
      // The capture of the same message reports the failure; headers alone must not.
      return undefined;
    }
  }
}
