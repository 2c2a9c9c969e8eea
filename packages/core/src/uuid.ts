/**
 * UUID text ⇄ 16 raw bytes. The entry hash uses raw bytes; headers and storage use canonical
 * lowercase text. Only RFC-4122 version-4 UUIDs are valid header values.
 */

const HEX = '0123456789abcdef';
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX_VALUE[HEX.charCodeAt(i)] = i;
  HEX_VALUE[HEX.toUpperCase().charCodeAt(i)] = i;
}

/** Parses hyphenated UUID text into `out` at `offset`; returns false when the text is not a UUID. */
export function parseUuidInto(text: string, out: Uint8Array, offset: number): boolean {
  if (text.length !== 36) return false;
  let byte = 0;
  for (let i = 0; i < 36; ) {
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (text.charCodeAt(i) !== 45) return false;
      i++;
      continue;
    }
    const hi = text.charCodeAt(i);
    const lo = text.charCodeAt(i + 1);
    const h = hi < 128 ? HEX_VALUE[hi]! : -1;
    const l = lo < 128 ? HEX_VALUE[lo]! : -1;
    if (h < 0 || l < 0) return false;
    out[offset + byte++] = (h << 4) | l;
    i += 2;
  }
  return true;
}

/** True when 16 bytes at `offset` carry version 4 and the RFC-4122 variant. */
export function isUuid4Bytes(bytes: Uint8Array, offset = 0): boolean {
  return (bytes[offset + 6]! & 0xf0) === 0x40 && (bytes[offset + 8]! & 0xc0) === 0x80;
}

/** Parses version-4 UUID text; throws RangeError otherwise. */
export function uuidToBytes(text: string): Uint8Array {
  const out = new Uint8Array(16);
  if (!parseUuidInto(text, out, 0) || !isUuid4Bytes(out)) {
    throw new RangeError(`not a version-4 UUID: ${JSON.stringify(text)}`);
  }
  return out;
}

const HEX_CODES: number[] = Array.from(HEX, (digit) => digit.charCodeAt(0));
/** Character codes of the text being formatted, reused by every call. */
const uuidCodes: number[] = new Array<number>(36).fill(45);

/**
 * Formats 16 bytes at `offset` as canonical lowercase hyphenated text (on the read path of every
 * entry with headers, and on the writer thread for every entry it takes). Built from character
 * codes in one step: a string concatenated piece by piece is a rope, which the next reader (the
 * entry hash parses it back into bytes) must first flatten, and that cost twice the formatting.
 */
export function uuidFromBytes(bytes: Uint8Array, offset = 0): string {
  const codes = uuidCodes;
  let out = 0;
  for (let i = 0; i < 16; i++) {
    const byte = bytes[offset + i]!;
    codes[out++] = HEX_CODES[byte >> 4]!;
    codes[out++] = HEX_CODES[byte & 15]!;
    if (i === 3 || i === 5 || i === 7 || i === 9) out++;
  }
  return String.fromCharCode.apply(null, codes);
}

/** Builds a version-4 UUID from 16 arbitrary bytes by forcing the version and variant bits. */
export function uuid4FromRawBytes(raw: Uint8Array): string {
  if (raw.length !== 16) throw new RangeError(`a UUID needs 16 bytes, got ${raw.length}`);
  const bytes = Uint8Array.from(raw);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return uuidFromBytes(bytes);
}

/** True for canonical lowercase version-4 UUID text. One pass over the characters, no allocation. */
export function isCanonicalUuid4(text: string): boolean {
  if (typeof text !== 'string' || text.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const code = text.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (code !== 45) return false;
    } else if (!((code >= 48 && code <= 57) || (code >= 97 && code <= 102))) {
      return false;
    }
  }
  // Version nibble 4; RFC-4122 variant: the first nibble of the fourth group is 8, 9, a or b.
  const variant = text.charCodeAt(19);
  return text.charCodeAt(14) === 52 && (variant === 56 || variant === 57 || variant === 97 || variant === 98);
}
