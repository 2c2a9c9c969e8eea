/**
 * UUID headers as writers accept them: version-4 UUID text, parsed into 16 raw bytes (the worker
 * writer parses straight into its ring; the inline writer checks the same way before accepting).
 */
import { type Headers, isUuid4Bytes } from '@tapelog/core';

const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i;
  HEX_VALUE['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/** Parses version-4 UUID text straight into the ring (16 raw bytes). */
export function writeUuidHeader(bytes: Uint8Array, offset: number, text: string, name: string): void {
  let valid = typeof text === 'string' && text.length === 36;
  if (valid) {
    let out = offset;
    for (let i = 0; i < 36 && valid; ) {
      if (i === 8 || i === 13 || i === 18 || i === 23) {
        valid = text.charCodeAt(i) === 45;
        i++;
        continue;
      }
      const high = text.charCodeAt(i);
      const low = text.charCodeAt(i + 1);
      const h = high < 128 ? HEX_VALUE[high]! : -1;
      const l = low < 128 ? HEX_VALUE[low]! : -1;
      valid = h >= 0 && l >= 0;
      bytes[out++] = (h << 4) | l;
      i += 2;
    }
    valid = valid && isUuid4Bytes(bytes, offset);
  }
  if (!valid) throw new TypeError(`headers.${name} must be version-4 UUID text, got ${JSON.stringify(text)}`);
}

const SCRATCH = new Uint8Array(16);

/** Throws the TypeError `writeUuidHeader` would for a malformed correlation or causation id. */
export function checkUuidHeaders(headers: Headers): void {
  if (headers.correlationId !== undefined) writeUuidHeader(SCRATCH, 0, headers.correlationId, 'correlationId');
  if (headers.causationId !== undefined) writeUuidHeader(SCRATCH, 0, headers.causationId, 'causationId');
}
