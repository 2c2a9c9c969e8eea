/**
 * UTF-8 bytes of the strings that repeat on every entry (topics, payload types), cached up to a
 * bound, for the hash and the codec hot paths.
 */

const LIMIT = 4096;
const encoder = new TextEncoder();
const cache = new Map<string, Uint8Array>();

/** The UTF-8 bytes of `text`; callers must not modify them. */
export function utf8Bytes(text: string): Uint8Array {
  let bytes = cache.get(text);
  if (bytes === undefined) {
    bytes = encoder.encode(text);
    if (cache.size < LIMIT) cache.set(text, bytes);
  }
  return bytes;
}
