/**
 * The cache snapshot's bytes, assembled from records encoded once and reused while unchanged:
 * most orders of a run are closed, and encoding every one again at every snapshot was most of a
 * snapshot's cost on the bus thread. The bytes are exactly those of the whole snapshot object
 * encoded in one go, so a snapshot written either way restores the same.
 */
import { msgpackEncoder } from '@tapelog/capture';

/** The fields of a record as the snapshot stores them, read by name. */
export type Fields = Record<string, unknown>;

export const encodeFields = msgpackEncoder<unknown>();

interface EncodedRecord {
  /** The record's field values the bytes were encoded from. */
  readonly values: unknown[];
  readonly bytes: Uint8Array;
}

/** Remembers each record's encoding by id and encodes a record again only when a field of it changed. */
export class RecordEncodings<R extends object> {
  readonly #fieldNames: ReadonlyArray<keyof R>;
  readonly #toFields: (record: R) => Fields;
  readonly #byId = new Map<string, EncodedRecord>();

  /** `fieldNames` lists every field of a record that `toFields` reads; each must hold a primitive. */
  constructor(fieldNames: ReadonlyArray<keyof R>, toFields: (record: R) => Fields) {
    this.#fieldNames = fieldNames;
    this.#toFields = toFields;
  }

  /** The encoded fields of `record`, known by `id`. */
  bytesOf(id: string, record: R): Uint8Array {
    const names = this.#fieldNames;
    const known = this.#byId.get(id);
    if (known !== undefined) {
      let unchanged = true;
      for (let i = 0; i < names.length && unchanged; i++) unchanged = known.values[i] === record[names[i]!];
      if (unchanged) return known.bytes;
    }
    const values = names.map((name) => record[name]);
    const bytes = encodeFields(this.#toFields(record)).payload;
    this.#byId.set(id, { values, bytes });
    return bytes;
  }

  /** Forgets every record, for a cache whose state was replaced. */
  clear(): void {
    this.#byId.clear();
  }
}

/** MessagePack array header bytes for `size` elements, as the encoder writes them. */
function arrayHeader(size: number): Uint8Array {
  if (size < 16) return Uint8Array.of(0x90 | size);
  if (size < 0x10000) return Uint8Array.of(0xdc, size >>> 8, size & 0xff);
  return Uint8Array.of(0xdd, size >>> 24, (size >>> 16) & 0xff, (size >>> 8) & 0xff, size & 0xff);
}

/**
 * The bytes of the map `{ ...leading, [key]: [records…], ...trailing }` (every field defined)
 * from the records' encoded bytes: the same bytes as encoding that map whole.
 */
export function mapWithEncodedArray(leading: Fields, key: string, records: readonly Uint8Array[], trailing: Fields): Uint8Array {
  const head = encodeFields(leading).payload;
  const tail = encodeFields(trailing).payload;
  const fieldCount = Object.keys(leading).length + 1 + Object.keys(trailing).length;
  if (fieldCount >= 16) throw new RangeError(`a snapshot map of ${fieldCount} fields needs a longer header than this assembly writes`);
  const name = encodeFields(key).payload;
  const header = arrayHeader(records.length);
  let total = 1 + (head.length - 1) + name.length + header.length + (tail.length - 1);
  for (const record of records) total += record.length;
  const out = new Uint8Array(total);
  out[0] = 0x80 | fieldCount;
  let offset = 1;
  // Both partial maps have fewer than 16 fields: their headers are one byte, dropped here.
  out.set(head.subarray(1), offset);
  offset += head.length - 1;
  out.set(name, offset);
  offset += name.length;
  out.set(header, offset);
  offset += header.length;
  for (const record of records) {
    out.set(record, offset);
    offset += record.length;
  }
  out.set(tail.subarray(1), offset);
  return out;
}
