/**
 * The encoder for the common case: the message (or a chosen projection of it) as MessagePack
 * with named fields, bigints as 64-bit integers, plus the index keys the caller derives.
 */
import { Decoder, Encoder as MessagePackEncoder } from '@msgpack/msgpack';
import type { IndexKey } from '@tapelog/core';
import type { EncodedPayload } from './encoded-payload.js';
import type { Encoder } from './registry.js';

export interface MsgpackEncoderOptions<M> {
  /** The index keys of a message, in order; none when omitted. */
  indexKeys?: (message: M) => readonly IndexKey[];
  /** What to serialize; the message itself when omitted (own enumerable fields, by name). */
  fields?: (message: M) => unknown;
}

// One encoder reused across calls: it returns a copy of its buffer, so reuse is safe and spares
// an allocation per message. Absent optional fields are left out rather than written as nil.
const sharedEncoder = new MessagePackEncoder({ useBigInt64: true, ignoreUndefined: true });
const sharedDecoder = new Decoder({ useBigInt64: true });
const NO_KEYS: readonly IndexKey[] = Object.freeze([]);

/**
 * An encoder writing named-field MessagePack. Integers beyond 32 bits are written as 64-bit
 * integers, so decode them with `decodeMsgpackPayload` (bigint-safe); keep 64-bit fields as
 * `bigint` in messages so they come back with the same type.
 */
export function msgpackEncoder<M>(options: MsgpackEncoderOptions<M> = {}): Encoder<M> {
  const { indexKeys, fields } = options;
  return (message: M): EncodedPayload => ({
    payload: sharedEncoder.encode(fields === undefined ? message : fields(message)),
    indexKeys: indexKeys === undefined ? NO_KEYS : indexKeys(message),
  });
}

/** Decodes a payload written by `msgpackEncoder`, with 64-bit integers as bigints. */
export function decodeMsgpackPayload(payload: Uint8Array): unknown {
  return sharedDecoder.decode(payload);
}
