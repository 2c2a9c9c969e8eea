/**
 * Variable-width Arrow columns (Utf8, Binary) written straight into offset and value buffers.
 * Export builds one column per batch of 65k rows; apache-arrow's generic builders spent most of
 * the export's time in per-value bookkeeping and garbage collection, this writes bytes in place.
 */
import { Binary, makeData, makeVector, Utf8, type Vector } from 'apache-arrow';

const encoder = new TextEncoder();
const HEX_DIGITS = new TextEncoder().encode('0123456789abcdef');

export class VariableWidthColumn {
  #values: Uint8Array;
  #length = 0;
  readonly #offsets: Int32Array;
  readonly #validity: Uint8Array;
  #row = 0;
  #nulls = 0;
  // Topics and payload types repeat: their UTF-8 bytes are encoded once.
  readonly #encoded = new Map<string, Uint8Array>();

  constructor(rows: number, bytesPerRow: number) {
    this.#values = new Uint8Array(Math.max(64, rows * bytesPerRow));
    this.#offsets = new Int32Array(rows + 1);
    this.#validity = new Uint8Array(Math.ceil(rows / 8)).fill(0xff);
  }

  #reserve(bytes: number): void {
    if (this.#length + bytes <= this.#values.length) return;
    const grown = new Uint8Array(Math.max(this.#values.length * 2, this.#length + bytes));
    grown.set(this.#values.subarray(0, this.#length));
    this.#values = grown;
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
    this.#reserve(bytes.length * 2);
    const values = this.#values;
    let at = this.#length;
    for (let index = 0; index < bytes.length; index++) {
      const byte = bytes[index]!;
      values[at++] = HEX_DIGITS[byte >> 4]!;
      values[at++] = HEX_DIGITS[byte & 15]!;
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
      valueOffsets: this.#offsets,
      data: this.#values.subarray(0, this.#length),
      nullCount: this.#nulls,
      nullBitmap: this.#nulls === 0 ? new Uint8Array(0) : this.#validity,
    };
  }

  toUtf8(): Vector<Utf8> {
    return makeVector(makeData({ type: new Utf8(), ...this.#buffers() }));
  }

  toBinary(): Vector<Binary> {
    return makeVector(makeData({ type: new Binary(), ...this.#buffers() }));
  }
}
