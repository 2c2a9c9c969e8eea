/**
 * What an encoder returns and the check every encoder result passes before it may become an
 * entry: a bad result is the encoder's fault (`EncodeError`), never a writer failure that would
 * halt the run.
 */
import { INDEX_KIND_CLIENT_ORDER_ID, INDEX_KIND_PATTERN, INDEX_KIND_VENUE_ORDER_ID, type IndexKey } from '@tapelog/core';
import { EncodeError } from './errors.js';

/**
 * The canonical bytes of one message and the index keys to record with it, in order. The
 * payload and the key array must be fresh for every call: a writer may keep them until the
 * entry is durable.
 */
export interface EncodedPayload {
  payload: Uint8Array;
  indexKeys: readonly IndexKey[];
  /** Overrides the payload type the encoder was registered under. */
  payloadType?: string;
}

/** An encoder result resolved against its registration: the payload type is final. */
export interface EncodedEntry {
  payloadType: string;
  payload: Uint8Array;
  indexKeys: readonly IndexKey[];
}

function isValidIndexKind(kind: unknown): boolean {
  // The two built-in kinds are nearly every key; skip the pattern for them.
  return kind === INDEX_KIND_CLIENT_ORDER_ID || kind === INDEX_KIND_VENUE_ORDER_ID || (typeof kind === 'string' && INDEX_KIND_PATTERN.test(kind));
}

/** Checks `result` and resolves its payload type; throws `EncodeError` naming `registeredType`. */
export function resolveEncodedPayload(result: unknown, registeredType: string): EncodedEntry {
  if (typeof result !== 'object' || result === null) {
    throw new EncodeError(`the encoder returned ${String(result)} instead of { payload, indexKeys }`, { payloadType: registeredType });
  }
  const { payload, indexKeys, payloadType } = result as EncodedPayload;
  if (!(payload instanceof Uint8Array)) {
    throw new EncodeError('the encoder returned a payload that is not a Uint8Array', { payloadType: registeredType });
  }
  if (!Array.isArray(indexKeys)) {
    throw new EncodeError('the encoder returned indexKeys that is not an array', { payloadType: registeredType });
  }
  for (let i = 0; i < indexKeys.length; i++) {
    const key = indexKeys[i] as IndexKey | undefined;
    if (typeof key !== 'object' || key === null || !isValidIndexKind(key.kind) || typeof key.key !== 'string') {
      throw new EncodeError(`index key ${i} is ${JSON.stringify(key)}: a key is { kind, key } with kind matching ${INDEX_KIND_PATTERN} and a string key`, {
        payloadType: registeredType,
      });
    }
  }
  if (payloadType === undefined) return { payloadType: registeredType, payload, indexKeys };
  if (typeof payloadType !== 'string' || payloadType.length === 0) {
    throw new EncodeError(`the encoder returned payloadType ${JSON.stringify(payloadType)}; an override must be a non-empty string`, {
      payloadType: registeredType,
    });
  }
  return { payloadType, payload, indexKeys };
}
