/**
 * Argument checks shared by every package: topics, index kinds, seqs and timestamps. A failed
 * check is a programmer mistake and throws TypeError or RangeError, never a TapelogError.
 */
import type { EntryDraft, IndexKey } from './types.js';
import { isUuid4Bytes, parseUuidInto } from './uuid.js';

const U64_LIMIT = 1n << 64n;
export const INDEX_KIND_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/** A topic is non-empty, not all whitespace, and has no `*` or `?`. */
export function isValidTopic(topic: unknown): topic is string {
  return typeof topic === 'string' && topic.trim().length > 0 && !topic.includes('*') && !topic.includes('?');
}

export function assertValidTopic(topic: unknown): asserts topic is string {
  if (!isValidTopic(topic)) {
    throw new TypeError(`invalid topic ${JSON.stringify(topic)}: a topic is non-empty, not all whitespace, and has no '*' or '?'`);
  }
}

export function assertValidIndexKind(kind: unknown): asserts kind is string {
  if (typeof kind !== 'string' || !INDEX_KIND_PATTERN.test(kind)) {
    throw new TypeError(`invalid index kind ${JSON.stringify(kind)}: must match ${INDEX_KIND_PATTERN}`);
  }
}

export function assertSeq(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative safe integer, got ${String(value)}`);
  }
}

export function assertTimestamp(name: string, value: unknown): asserts value is bigint {
  if (typeof value !== 'bigint' || value < 0n || value >= U64_LIMIT) {
    throw new RangeError(`${name} must be a bigint nanosecond timestamp in [0, 2^64), got ${String(value)}`);
  }
}

function assertUuidHeader(name: string, value: unknown): void {
  if (value === undefined) return;
  const bytes = new Uint8Array(16);
  if (typeof value !== 'string' || !parseUuidInto(value, bytes, 0) || !isUuid4Bytes(bytes)) {
    throw new TypeError(`headers.${name} must be version-4 UUID text, got ${JSON.stringify(value)}`);
  }
}

/** Checks one index key. */
export function assertValidIndexKey(key: IndexKey): void {
  assertValidIndexKind(key?.kind);
  if (typeof key.key !== 'string') throw new TypeError(`index key of kind ${key.kind} must be a string`);
}

/** Checks a draft before a writer accepts it. */
export function assertValidDraft(draft: EntryDraft): void {
  if (typeof draft !== 'object' || draft === null) throw new TypeError('a draft must be an object');
  assertValidTopic(draft.topic);
  if (typeof draft.payloadType !== 'string') throw new TypeError('draft.payloadType must be a string');
  if (!(draft.payload instanceof Uint8Array)) throw new TypeError('draft.payload must be a Uint8Array');
  assertTimestamp('draft.tsInit', draft.tsInit);
  const headers = draft.headers ?? {};
  assertUuidHeader('correlationId', headers.correlationId);
  assertUuidHeader('causationId', headers.causationId);
  if (!Array.isArray(draft.indexKeys)) throw new TypeError('draft.indexKeys must be an array');
  for (const key of draft.indexKeys) assertValidIndexKey(key);
}
