/**
 * UUID headers as writers accept them: version-4 UUID text, parsed into 16 raw bytes (the worker
 * writer parses straight into its ring; the inline writer checks the same way before accepting).
 */
import { type Headers, isUuid4Bytes, parseUuidInto } from '@tapelog/core';

/** Parses version-4 UUID text straight into the ring (16 raw bytes). */
export function writeUuidHeader(bytes: Uint8Array, offset: number, text: string, name: string): void {
  if (typeof text !== 'string' || !parseUuidInto(text, bytes, offset) || !isUuid4Bytes(bytes, offset)) {
    throw new TypeError(`headers.${name} must be version-4 UUID text, got ${JSON.stringify(text)}`);
  }
}

const SCRATCH = new Uint8Array(16);

/** Throws the TypeError `writeUuidHeader` would for a malformed correlation or causation id. */
export function checkUuidHeaders(headers: Headers): void {
  if (headers.correlationId !== undefined) writeUuidHeader(SCRATCH, 0, headers.correlationId, 'correlationId');
  if (headers.causationId !== undefined) writeUuidHeader(SCRATCH, 0, headers.causationId, 'causationId');
}
