/**
 * The bus capture adapter: the seam between a kernel's bus and the writer. It asks the registry
 * whether a message is state-affecting, drops duplicates of a message already seen on another
 * boundary, encodes it and submits it; a failed submit fail-stops it for the rest of the run.
 */
import { assertTimestamp, type EntryDraft, type Headers, isCanonicalUuid4, isValidTopic } from '@tapelog/core';
import { takeHeadersChecked } from './checked-headers.js';
import { HaltedError } from './errors.js';
import { type CaptureHaltCallback, type CaptureHaltReason, haltReasonFromSubmitError } from './halt-reason.js';
import { RecentIdentityWindow } from './recent-identities.js';
import type { EncoderRegistry } from './registry.js';
import type { SubmitCounter } from './submit-counter.js';

/**
 * Where the adapter submits drafts: the writer (`EventStoreWriter`) satisfies it. `submit`
 * returns the assigned seq once the draft is accepted (not yet durable) and throws when the
 * writer is halted or closed.
 */
export interface DraftSink {
  submit(draft: EntryDraft): number;
}

export interface BusCaptureAdapterOptions {
  /** Incremented once per accepted submit; shared with the marker sidecar. */
  submitCounter?: SubmitCounter;
}

function assertHeaderId(name: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'string' || !isCanonicalUuid4(value))) {
    throw new TypeError(`headers.${name} must be canonical lowercase version-4 UUID text, got ${JSON.stringify(value)}`);
  }
}

export class BusCaptureAdapter {
  readonly #sink: DraftSink;
  readonly #registry: EncoderRegistry;
  readonly #onHalt: CaptureHaltCallback;
  readonly #submitCounter: SubmitCounter | undefined;
  readonly #recentIdentities = new RecentIdentityWindow();
  #haltReason: CaptureHaltReason | undefined;
  #haltCause: unknown;

  constructor(sink: DraftSink, registry: EncoderRegistry, onHalt: CaptureHaltCallback, options: BusCaptureAdapterOptions = {}) {
    if (typeof sink?.submit !== 'function') throw new TypeError('sink must have a submit(draft) method');
    if (typeof onHalt !== 'function') throw new TypeError('onHalt must be a function');
    this.#sink = sink;
    this.#registry = registry;
    this.#onHalt = onHalt;
    this.#submitCounter = options.submitCounter;
  }

  /** The allow-list this adapter consults (the tap reads headers from it). */
  get registry(): EncoderRegistry {
    return this.#registry;
  }

  get submitCounter(): SubmitCounter | undefined {
    return this.#submitCounter;
  }

  /** True once a submit has failed; every later capture throws `HaltedError`. */
  get halted(): boolean {
    return this.#haltReason !== undefined;
  }

  /** The reason the halt callback received, once halted. */
  get haltReason(): CaptureHaltReason | undefined {
    return this.#haltReason;
  }

  /**
   * Captures one bus message dispatched on `topic`. Returns true when a draft was handed to the
   * writer (accepted, not yet durable); false when the type is not registered or the message's
   * identity was already captured in the recent window (the first topic wins).
   *
   * Throws `EncodeError` when the message cannot be encoded (the adapter stays live); rethrows
   * what the writer threw on a failed submit, after halting and firing the halt callback once;
   * throws `HaltedError` for every capture after that, without touching the writer. Invalid
   * `topic`, `headers` or `tsInit` are programmer mistakes: TypeError or RangeError, no halt.
   */
  capture(topic: string, message: unknown, headers: Headers, tsInit: bigint): boolean {
    if (this.#haltReason !== undefined) throw new HaltedError(this.#haltReason, this.#haltCause);
    const registry = this.#registry;
    // The identity is remembered before encoding, as upstream does: a message whose encode
    // failed on its first boundary is not retried (and re-reported) on its second.
    const identity = registry.identityFor(message);
    if (identity !== undefined && !this.#recentIdentities.remember(identity)) return false;
    const encoded = registry.encode(message);
    if (encoded === undefined) return false;
    // Arguments are checked only for messages that will be written: most traffic is market
    // data that is not registered, and must stay cheap.
    if (!isValidTopic(topic)) {
      throw new TypeError(`invalid topic ${JSON.stringify(topic)}: a topic is non-empty, not all whitespace, and has no '*' or '?'`);
    }
    if (typeof headers !== 'object' || headers === null) throw new TypeError('headers must be an object ({} for none)');
    // Headers the registry has just checked (the tap's) are not checked again.
    if (!takeHeadersChecked(headers)) {
      assertHeaderId('correlationId', headers.correlationId);
      assertHeaderId('causationId', headers.causationId);
    }
    assertTimestamp('tsInit', tsInit);
    const draft: EntryDraft = {
      headers,
      topic,
      payloadType: encoded.payloadType,
      payload: encoded.payload,
      tsInit,
      indexKeys: encoded.indexKeys,
    };
    try {
      this.#sink.submit(draft);
    } catch (error) {
      this.#failStop(error);
    }
    this.#submitCounter?.increment();
    return true;
  }

  /**
   * True when `capture` would drop `message` as a duplicate: its identity was captured within the
   * recent window. Changes nothing. The tap asks first, so that a message seen again on a second
   * boundary (nearly half of what a kernel captures) skips its header extraction. Throws what
   * the identity extractor throws, as `capture` would.
   */
  isRecentDuplicate(message: unknown): boolean {
    if (this.#haltReason !== undefined) return false;
    const identity = this.#registry.identityFor(message);
    return identity !== undefined && this.#recentIdentities.has(identity);
  }

  #failStop(error: unknown): never {
    // Set before the callback runs, so a callback that re-enters capture sees the halt.
    const reason = haltReasonFromSubmitError(error);
    this.#haltReason = reason;
    this.#haltCause = error;
    try {
      this.#onHalt(reason, error);
    } catch (callbackError) {
      throw new AggregateError([error, callbackError], `writer submit failed and the capture halt callback threw; the adapter is halted (${reason.kind})`);
    }
    throw error;
  }
}
