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
  /**
   * The message's fields, in order: the encoder writes exactly these (from pre-encoded keys)
   * instead of walking the object, several times faster for a class instance. `'fixed-shape'`
   * takes them from the first message encoded; use it only for a type whose instances always have
   * the same own enumerable fields in the same order (a class assigning every field in its
   * constructor). A field not listed is not stored. Not combined with `fields`.
   */
  fieldNames?: readonly string[] | 'fixed-shape';
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
  const { indexKeys, fields, fieldNames } = options;
  if (fieldNames !== undefined) {
    if (fields !== undefined) throw new TypeError('msgpackEncoder takes fields or fieldNames, not both');
    return fieldListEncoder(fieldNames, indexKeys);
  }
  return (message: M): EncodedPayload => ({
    payload: sharedWriter.encode(fields === undefined ? message : fields(message)),
    indexKeys: indexKeys === undefined ? NO_KEYS : indexKeys(message),
  });
}

function compileKeys(names: readonly string[]): Uint8Array[] {
  return names.map((name) => {
    if (typeof name !== 'string') throw new TypeError(`fieldNames must be strings, got ${typeof name}`);
    return sharedWriter.encode(name).slice();
  });
}

/** The encoder for a known field list: no key walk, no per-call allocation beyond the payload. */
function fieldListEncoder<M>(fieldNames: readonly string[] | 'fixed-shape', indexKeys: ((message: M) => readonly IndexKey[]) | undefined): Encoder<M> {
  if (fieldNames !== 'fixed-shape' && !Array.isArray(fieldNames)) throw new TypeError("fieldNames must be an array of field names or 'fixed-shape'");
  let names: readonly string[] | undefined = fieldNames === 'fixed-shape' ? undefined : [...fieldNames];
  let keys: readonly Uint8Array[] | undefined = names === undefined ? undefined : compileKeys(names);
  return (message: M): EncodedPayload => {
    if (names === undefined) {
      if (typeof message !== 'object' || message === null) throw new TypeError(`a fixed-shape message is an object, got ${typeof message}`);
      names = Object.keys(message);
      keys = compileKeys(names);
    }
    return {
      payload: sharedWriter.encodeFields(message as Record<string, unknown>, names, keys!),
      indexKeys: indexKeys === undefined ? NO_KEYS : indexKeys(message),
    };
  };
}

/** Decodes a payload written by `msgpackEncoder`, with 64-bit integers as bigints. */
export function decodeMsgpackPayload(payload: Uint8Array): unknown {
  return sharedDecoder.decode(payload);
}
