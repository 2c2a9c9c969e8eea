/** Run ids: `<startTsInit decimal>-<first 8 hex characters of a fresh UUID>`, also the storage stem. */
import { randomUUID } from 'node:crypto';

const RUN_ID_PATTERN = /^[0-9]+-[0-9a-f]{8}$/;

/** Builds a run id; pass `uuid` for deterministic ids (simulation), otherwise a random one is used. */
export function buildRunId(startTsInit: bigint, uuid: string = randomUUID()): string {
  if (typeof startTsInit !== 'bigint' || startTsInit < 0n) throw new RangeError('startTsInit must be a non-negative bigint');
  const suffix = uuid.replace(/-/g, '').slice(0, 8).toLowerCase();
  if (!/^[0-9a-f]{8}$/.test(suffix)) throw new RangeError(`cannot build a run id from ${JSON.stringify(uuid)}`);
  return `${startTsInit}-${suffix}`;
}

export function isRunId(text: string): boolean {
  return RUN_ID_PATTERN.test(text);
}

/** Run ids and instance ids become path segments: reject anything that could escape a directory. */
export function assertSafePathSegment(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200 || !/^[A-Za-z0-9._-]+$/.test(value) || value === '.' || value === '..') {
    throw new TypeError(`${name} must be 1-200 characters of [A-Za-z0-9._-] and not '.' or '..', got ${JSON.stringify(value)}`);
  }
}
