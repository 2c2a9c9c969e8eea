/**
 * The encoder for the common case: the message (or a chosen projection of it) as MessagePack
 * with named fields, bigints as 64-bit integers, plus the index keys the caller derives.
 */
import { Decoder } from '@msgpack/msgpack';
import type { IndexKey } from '@tapelog/core';
import type { EncodedPayload } from './encoded-payload.js';
import { MessagePackWriter } from './msgpack-writer.js';
import type { Encoder } from './registry.js';

export interface MsgpackEncoderOptions<M> {
  /** The index keys of a message, in order; none when omitted. */
  indexKeys?: (message: M) => readonly IndexKey[];
  /** What to serialize; the message itself when omitted (own enumerable fields, by name). */
  fields?: (message: M) => unknown;
}

// One writer for every encoder: it encodes into a reused scratch buffer and hands out fresh
// copies. Absent optional fields are left out rather than written as nil.
const sharedWriter = new MessagePackWriter();
const sharedDecoder = new Decoder({ useBigInt64: true });
const NO_KEYS: readonly IndexKey[] = Object.freeze([]);

/**
 * An encoder writing named-field MessagePack. Bigints are written as 64-bit integers (a bigint
 * outside 64 bits is an encode failure) and come back as bigints from `decodeMsgpackPayload`;
 * numbers stay numbers (beyond 32 bits as float64, exact for safe integers). Map and Set are
 * refused: convert them to plain objects or arrays. The payload is a view into a shared slab:
 * read it through its `byteOffset`, never transfer its `buffer`.
 */
export function msgpackEncoder<M>(options: MsgpackEncoderOptions<M> = {}): Encoder<M> {
  const { indexKeys, fields } = options;
  return (message: M): EncodedPayload => ({
    payload: sharedWriter.encode(fields === undefined ? message : fields(message)),
    indexKeys: indexKeys === undefined ? NO_KEYS : indexKeys(message),
  });
}

/** Decodes a payload written by `msgpackEncoder`, with 64-bit integers as bigints. */
export function decodeMsgpackPayload(payload: Uint8Array): unknown {
  return sharedDecoder.decode(payload);
}
