/**
 * Variable-width Arrow columns (Utf8, Binary) written straight into offset and value buffers.
 * Export builds one column per batch of 65k rows; apache-arrow's generic builders spent most of
 * the export's time in per-value bookkeeping and garbage collection, this writes bytes in place.
 */
import { Binary, makeData, makeVector, Utf8, type Vector } from 'apache-arrow';

const encoder = new TextEncoder();
const HEX_DIGITS = new TextEncoder().encode('0123456789abcdef');
const DASH = 0x2d;
/** The two hex digits of each byte value as one 16-bit word, in this platform's byte order. */
const HEX_PAIRS = (() => {
  const digits = new Uint8Array(512);
  for (let byte = 0; byte < 256; byte++) {
    digits[byte * 2] = HEX_DIGITS[byte >> 4]!;
    digits[byte * 2 + 1] = HEX_DIGITS[byte & 15]!;
  }
  return new Uint16Array(digits.buffer);
})();

export class VariableWidthColumn {
  #values: Uint8Array;
  // The same bytes as 16-bit words, for writing hex digits two at a time.
  #words: Uint16Array;
  #length = 0;
  #offsets: Int32Array;
  #validity: Uint8Array;
  #row = 0;
  #nulls = 0;
  // Topics and payload types repeat: their UTF-8 bytes are encoded once.
  readonly #encoded = new Map<string, Uint8Array>();

  constructor(rows: number, bytesPerRow: number) {
    this.#values = new Uint8Array(Math.max(64, rows * bytesPerRow) & ~1);
    this.#words = new Uint16Array(this.#values.buffer);
    this.#offsets = new Int32Array(rows + 1);
    this.#validity = new Uint8Array(Math.ceil(rows / 8)).fill(0xff);
  }

  /**
   * Empties the column for a new batch of up to `rows` rows, keeping its buffers: memory the
   * process has already touched is far cheaper to write than fresh pages. Vectors made from the
   * column before must no longer be in use.
   */
  reset(rows: number): void {
    if (rows + 1 > this.#offsets.length) {
      this.#offsets = new Int32Array(rows + 1);
      this.#validity = new Uint8Array(Math.ceil(rows / 8)).fill(0xff);
    } else if (this.#nulls > 0) this.#validity.fill(0xff);
    this.#length = 0;
    this.#row = 0;
    this.#nulls = 0;
  }

  #reserve(bytes: number): void {
    if (this.#length + bytes <= this.#values.length) return;
    const grown = new Uint8Array((Math.max(this.#values.length * 2, this.#length + bytes) + 1) & ~1);
    grown.set(this.#values.subarray(0, this.#length));
    this.#values = grown;
    this.#words = new Uint16Array(grown.buffer);
  }

  #endRow(): void {
    this.#offsets[++this.#row] = this.#length;
  }

  appendBytes(bytes: Uint8Array): void {
    this.#reserve(bytes.length);
    this.#values.set(bytes, this.#length);
    this.#length += bytes.length;
    this.#endRow();
  }

  /** `length` bytes of `source` from `start`, copied without a view of them. */
  appendRange(source: Uint8Array, start: number, length: number): void {
    this.#reserve(length);
    const values = this.#values;
    let at = this.#length;
    if (length > 64) values.set(source.subarray(start, start + length), at);
    else for (let index = start; index < start + length; index++) values[at++] = source[index]!;
    this.#length += length;
    this.#endRow();
  }

  /** A string of few distinct values (topic, payload type), encoded once per value. */
  appendRepeatedText(text: string): void {
    let bytes = this.#encoded.get(text);
    if (bytes === undefined) {
      bytes = encoder.encode(text);
      this.#encoded.set(text, bytes);
    }
    this.appendBytes(bytes);
  }

  appendText(text: string): void {
    // UTF-8 takes at most three bytes per UTF-16 code unit.
    this.#reserve(text.length * 3);
    this.#length += encoder.encodeInto(text, this.#values.subarray(this.#length)).written;
    this.#endRow();
  }

  appendHex(bytes: Uint8Array): void {
    this.appendHexRange(bytes, 0, bytes.length);
  }

  /** `length` bytes of `source` from `start` as lowercase hex text. */
  appendHexRange(source: Uint8Array, start: number, length: number): void {
    this.#reserve(length * 2);
    let at = this.#length;
    if ((at & 1) === 0) {
      // Both digits of a byte in one 16-bit write (a hash column's rows all start word-aligned).
      const words = this.#words;
      let word = at >> 1;
      for (let index = start; index < start + length; index++) words[word++] = HEX_PAIRS[source[index]!]!;
      at += length * 2;
    } else {
      const values = this.#values;
      for (let index = start; index < start + length; index++) {
        const byte = source[index]!;
        values[at++] = HEX_DIGITS[byte >> 4]!;
        values[at++] = HEX_DIGITS[byte & 15]!;
      }
    }
    this.#length = at;
    this.#endRow();
  }

  /** The 16 bytes of `source` at `start` as UUID text (8-4-4-4-12 lowercase hex digits). */
  appendUuid(source: Uint8Array, start: number): void {
    this.#reserve(36);
    const values = this.#values;
    let at = this.#length;
    for (let index = 0; index < 16; index++) {
      const byte = source[start + index]!;
      values[at++] = HEX_DIGITS[byte >> 4]!;
      values[at++] = HEX_DIGITS[byte & 15]!;
      if (index === 3 || index === 5 || index === 7 || index === 9) values[at++] = DASH;
    }
    this.#length = at;
    this.#endRow();
  }

  appendNull(): void {
    this.#validity[this.#row >> 3]! &= ~(1 << (this.#row & 7));
    this.#nulls++;
    this.#endRow();
  }

  #buffers() {
    return {
      length: this.#row,
      valueOffsets: this.#offsets.subarray(0, this.#row + 1),
      data: this.#values.subarray(0, this.#length),
      nullCount: this.#nulls,
      nullBitmap: this.#nulls === 0 ? new Uint8Array(0) : this.#validity.subarray(0, Math.ceil(this.#row / 8)),
    };
  }

  toUtf8(): Vector<Utf8> {
    return makeVector(makeData({ type: new Utf8(), ...this.#buffers() }));
  }

  toBinary(): Vector<Binary> {
    return makeVector(makeData({ type: new Binary(), ...this.#buffers() }));
  }
}
