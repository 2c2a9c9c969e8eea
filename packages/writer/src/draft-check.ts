/**
 * The checks a draft passes before a writer accepts it. They run on the hot path, so the
 * expensive ones (topic rules, index kind pattern) are remembered per distinct string.
 * UUID headers are checked where they are parsed (queue record or entry hash), also before acceptance.
 */
import { assertValidIndexKind, assertValidTopic, type EntryDraft } from '@tapelog/core';

const U64_MAX = (1n << 64n) - 1n;
const REMEMBERED_LIMIT = 4096;
const validTopics = new Set<string>();
const validKinds = new Set<string>();

/** Throws TypeError or RangeError for a draft no writer may accept. */
export function checkDraft(draft: EntryDraft): void {
  if (typeof draft !== 'object' || draft === null) throw new TypeError('a draft must be an object');
  const topic = draft.topic;
  if (!validTopics.has(topic)) {
    assertValidTopic(topic);
    if (validTopics.size < REMEMBERED_LIMIT) validTopics.add(topic);
  }
  if (typeof draft.payloadType !== 'string') throw new TypeError('draft.payloadType must be a string');
  if (!(draft.payload instanceof Uint8Array)) throw new TypeError('draft.payload must be a Uint8Array');
  const tsInit = draft.tsInit;
  if (typeof tsInit !== 'bigint' || tsInit < 0n || tsInit > U64_MAX) {
    throw new RangeError(`draft.tsInit must be a bigint nanosecond timestamp in [0, 2^64), got ${String(tsInit)}`);
  }
  const headers = draft.headers;
  if (typeof headers !== 'object' || headers === null) throw new TypeError('draft.headers must be an object');
  const keys = draft.indexKeys;
  if (!Array.isArray(keys)) throw new TypeError('draft.indexKeys must be an array');
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const kind = key?.kind;
    if (!validKinds.has(kind)) {
      assertValidIndexKind(kind);
      if (validKinds.size < REMEMBERED_LIMIT) validKinds.add(kind);
    }
    if (typeof key.key !== 'string') throw new TypeError(`index key of kind ${kind} must be a string`);
  }
}
