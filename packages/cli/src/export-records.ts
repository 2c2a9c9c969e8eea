/**
 * How `tapelog export` hands hash-checked entries to its Parquet writer thread: the command's
 * thread copies each entry's stored record bytes into one transferable buffer per batch (one copy
 * per run of records that lie side by side in a backend block, not one per field), and the writer
 * thread builds the Arrow columns straight from those bytes, with no object per entry.
 */
import { type EventStoreEntry, encodeEntry, FRAME_HEADER_LENGTH, FRAME_MAGIC } from '@tapelog/core';
import type { Table } from 'apache-arrow';
import { VariableWidthColumn } from './arrow-columns.js';
import { exportColumnsTable } from './export-rows.js';
import { toJson } from './json-output.js';
import { type PayloadDecoders, UNDECODED } from './payload-decoders.js';

/** A batch of consecutive entries as their framed records: record i is `bytes[offsets[i] .. offsets[i + 1])`, seq `firstSeq + i`. */
export interface EntryRecords {
  firstSeq: number;
  count: number;
  bytes: Uint8Array;
  offsets: Uint32Array;
}

const MAX_SPARE_BUFFERS = 2;

/**
 * Collects the records of consecutive entries. An entry decoded by the store's read path holds
 * views into its record (the hash right after the frame header, the payload at the record's
 * end), so the record is found without encoding it again; any other entry is encoded.
 */
export class EntryRecordsBuilder {
  readonly #rows: number;
  readonly #bytesPerRow: number;
  #bytes: Uint8Array;
  #length = 0;
  #offsets: Uint32Array;
  #count = 0;
  #firstSeq = 0;
  // Records not yet copied: `#runBuffer[#runStart .. #runEnd)`, consecutive in one backend buffer.
  #runBuffer: ArrayBufferLike | undefined;
  #runStart = 0;
  #runEnd = 0;
  // Buffers of batches already written, handed back to be filled again (see `recycle`).
  readonly #spare: Array<{ bytes: ArrayBuffer; offsets: ArrayBuffer }> = [];

  constructor(rows: number, bytesPerRow = 256) {
    this.#rows = rows;
    this.#bytesPerRow = bytesPerRow;
    this.#bytes = new Uint8Array(Math.max(1024, rows * bytesPerRow));
    this.#offsets = new Uint32Array(rows + 1);
  }

  get count(): number {
    return this.#count;
  }

  add(entry: EventStoreEntry): void {
    if (this.#count === 0) this.#firstSeq = entry.seq;
    else if (entry.seq !== this.#firstSeq + this.#count) {
      throw new RangeError(`export records must be consecutive: seq ${entry.seq} after ${this.#firstSeq + this.#count - 1}`);
    }
    if (this.#count + 1 >= this.#offsets.length) {
      const grown = new Uint32Array(this.#offsets.length * 2);
      grown.set(this.#offsets);
      this.#offsets = grown;
    }
    const hash = entry.entryHash;
    const payload = entry.payload;
    const buffer = hash.buffer;
    const start = hash.byteOffset - FRAME_HEADER_LENGTH;
    const end = payload.byteOffset + payload.byteLength;
    if (payload.buffer === buffer && start >= 0 && end > start) {
      if (buffer !== this.#runBuffer || start !== this.#runEnd) {
        this.#flushRun();
        this.#runBuffer = buffer;
        this.#runStart = start;
      }
      this.#runEnd = end;
    } else {
      this.#flushRun();
      this.#append(encodeEntry(entry));
    }
    this.#offsets[++this.#count] = this.#length + (this.#runEnd - this.#runStart);
  }

  /** The records added since the last `take`, in buffers of their own (to be transferred). */
  take(): EntryRecords {
    this.#flushRun();
    const records: EntryRecords = {
      firstSeq: this.#firstSeq,
      count: this.#count,
      bytes: this.#bytes.subarray(0, this.#length),
      offsets: this.#offsets.subarray(0, this.#count + 1),
    };
    const spare = this.#spare.pop();
    this.#bytes = spare === undefined ? new Uint8Array(Math.max(1024, this.#rows * this.#bytesPerRow)) : new Uint8Array(spare.bytes);
    this.#offsets = spare === undefined ? new Uint32Array(this.#rows + 1) : new Uint32Array(spare.offsets);
    this.#length = 0;
    this.#count = 0;
    return records;
  }

  /**
   * Takes back the buffers of a batch that was written, so the next batches reuse them. Two are
   * kept at most (batches gathered elsewhere come back too, and would pile up).
   */
  recycle(bytes: ArrayBuffer, offsets: ArrayBuffer): void {
    if (this.#spare.length < MAX_SPARE_BUFFERS) this.#spare.push({ bytes, offsets });
  }

  #flushRun(): void {
    if (this.#runBuffer === undefined) return;
    this.#append(new Uint8Array(this.#runBuffer, this.#runStart, this.#runEnd - this.#runStart));
    this.#runBuffer = undefined;
    this.#runStart = 0;
    this.#runEnd = 0;
  }

  #append(bytes: Uint8Array): void {
    if (this.#length + bytes.length > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(this.#bytes.length * 2, this.#length + bytes.length));
      grown.set(this.#bytes.subarray(0, this.#length));
      this.#bytes = grown;
    }
    this.#bytes.set(bytes, this.#length);
    this.#length += bytes.length;
  }
}

export interface RecordColumnsContext {
  decoders: PayloadDecoders;
  indexKeys: ReadonlyMap<number, string>;
}

const HASH_BYTES = 32;
/** Frame header, hash, seq, two timestamps, header flags and three length prefixes. */
const MIN_RECORD_BYTES = FRAME_HEADER_LENGTH + HASH_BYTES + 24 + 1 + 12;
const HAS_CORRELATION = 1;
const HAS_CAUSATION = 2;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function readU32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

/** Thrown when the records do not read as the entries they claim to be (a defect, never expected). */
function inconsistent(records: EntryRecords, index: number, reason: string): Error {
  return new Error(`export record of seq ${records.firstSeq + index} is inconsistent: ${reason}`);
}

/**
 * The index keys of a run in seq order, read by a batch's rows in ascending seq: each lookup
 * moves a cursor instead of hashing into a map of a run's many keys (a map lookup per row was
 * the largest single cost of building the columns).
 */
class IndexKeysInSeqOrder {
  readonly #seqs: Float64Array;
  readonly #keys: string[];
  #next = 0;

  constructor(bySeq: ReadonlyMap<number, string>) {
    this.#seqs = Float64Array.from(bySeq.keys()).sort();
    this.#keys = Array.from(this.#seqs, (seq) => bySeq.get(seq)!);
  }

  /** Places the cursor on the first key at or after `seq` (the start of a batch). */
  seek(seq: number): void {
    let low = 0;
    let high = this.#seqs.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#seqs[middle]! < seq) low = middle + 1;
      else high = middle;
    }
    this.#next = low;
  }

  /** The keys first recorded at `seq`; seqs must be asked in ascending order after `seek`. */
  at(seq: number): string | undefined {
    if (this.#next >= this.#seqs.length || this.#seqs[this.#next] !== seq) return undefined;
    return this.#keys[this.#next++];
  }
}

/**
 * Builds one Arrow table per batch of records, with the columns and types of
 * `entriesToArrowTable`, into buffers it keeps from batch to batch: a table is valid until the
 * next call. The records were decoded and hash-checked by the store's read path before they
 * were gathered; here each is only located again, and checked to have the frame, seq and length
 * it should.
 */
export class RecordColumnsBuilder {
  readonly #context: RecordColumnsContext;
  readonly #indexKeysInSeqOrder: IndexKeysInSeqOrder;
  #rows = 0;
  #seq = new BigInt64Array(0);
  #tsInit = new BigInt64Array(0);
  #tsPublish = new BigInt64Array(0);
  readonly #topic: VariableWidthColumn;
  readonly #payloadType: VariableWidthColumn;
  readonly #correlationId: VariableWidthColumn;
  readonly #causationId: VariableWidthColumn;
  readonly #payload: VariableWidthColumn;
  readonly #entryHash: VariableWidthColumn;
  readonly #indexKeys: VariableWidthColumn;
  readonly #payloadJson: VariableWidthColumn;

  constructor(context: RecordColumnsContext, rows: number) {
    this.#context = context;
    this.#indexKeysInSeqOrder = new IndexKeysInSeqOrder(context.indexKeys);
    this.#topic = new VariableWidthColumn(rows, 24);
    this.#payloadType = new VariableWidthColumn(rows, 16);
    this.#correlationId = new VariableWidthColumn(rows, 4);
    this.#causationId = new VariableWidthColumn(rows, 4);
    this.#payload = new VariableWidthColumn(rows, 160);
    this.#entryHash = new VariableWidthColumn(rows, 64);
    this.#indexKeys = new VariableWidthColumn(rows, 4);
    this.#payloadJson = new VariableWidthColumn(rows, 4);
  }

  toTable(records: EntryRecords): Table {
    const { bytes, offsets, count } = records;
    const context = this.#context;
    if (count > this.#rows) {
      this.#rows = count;
      this.#seq = new BigInt64Array(count);
      this.#tsInit = new BigInt64Array(count);
      this.#tsPublish = new BigInt64Array(count);
    }
    const seqWords = new Uint32Array(this.#seq.buffer);
    const tsInitWords = new Uint32Array(this.#tsInit.buffer);
    const tsPublishWords = new Uint32Array(this.#tsPublish.buffer);
    const topic = this.#topic;
    const payloadType = this.#payloadType;
    const correlationId = this.#correlationId;
    const causationId = this.#causationId;
    const payload = this.#payload;
    const entryHash = this.#entryHash;
    const indexKeys = this.#indexKeys;
    const payloadJson = this.#payloadJson;
    for (const column of [topic, payloadType, correlationId, causationId, payload, entryHash, indexKeys, payloadJson]) column.reset(count);
    const keysInSeqOrder = this.#indexKeysInSeqOrder;
    keysInSeqOrder.seek(records.firstSeq);
    // Payload types repeat: the last one's text and whether a decoder reads it are kept.
    let typeStart = -1;
    let typeLength = -1;
    let typeText = '';
    let typeDecoded = false;
    for (let index = 0; index < count; index++) {
      const start = offsets[index]!;
      const end = offsets[index + 1]!;
      if (end - start < MIN_RECORD_BYTES || bytes[start] !== FRAME_MAGIC[0] || bytes[start + 1] !== FRAME_MAGIC[1]) {
        throw inconsistent(records, index, 'no record frame');
      }
      const body = start + FRAME_HEADER_LENGTH;
      const u64 = body + HASH_BYTES;
      const seqLow = readU32(bytes, u64);
      const seqHigh = readU32(bytes, u64 + 4);
      const entrySeq = seqHigh * 4294967296 + seqLow;
      if (entrySeq !== records.firstSeq + index) throw inconsistent(records, index, `the record holds seq ${entrySeq}`);
      const word = index * 2;
      seqWords[word] = seqLow;
      seqWords[word + 1] = seqHigh;
      tsInitWords[word] = readU32(bytes, u64 + 8);
      tsInitWords[word + 1] = readU32(bytes, u64 + 12);
      tsPublishWords[word] = readU32(bytes, u64 + 16);
      tsPublishWords[word + 1] = readU32(bytes, u64 + 20);
      const flags = bytes[u64 + 24]!;
      let at = u64 + 25;
      if (flags & HAS_CORRELATION) {
        correlationId.appendUuid(bytes, at);
        at += 16;
      } else correlationId.appendNull();
      if (flags & HAS_CAUSATION) {
        causationId.appendUuid(bytes, at);
        at += 16;
      } else causationId.appendNull();
      const topicLength = readU32(bytes, at);
      topic.appendRange(bytes, at + 4, topicLength);
      at += 4 + topicLength;
      const typeLengthHere = readU32(bytes, at);
      if (typeLengthHere !== typeLength || !sameBytes(bytes, typeStart, at + 4, typeLengthHere)) {
        typeLength = typeLengthHere;
        typeText = utf8.decode(bytes.subarray(at + 4, at + 4 + typeLength));
        typeDecoded = context.decoders.reads(typeText);
      }
      typeStart = at + 4;
      payloadType.appendRange(bytes, at + 4, typeLengthHere);
      at += 4 + typeLengthHere;
      const payloadLength = readU32(bytes, at);
      at += 4;
      if (at + payloadLength !== end) throw inconsistent(records, index, 'its length does not match its fields');
      payload.appendRange(bytes, at, payloadLength);
      entryHash.appendHexRange(bytes, body, HASH_BYTES);
      const keys = keysInSeqOrder.at(entrySeq);
      if (keys === undefined) indexKeys.appendNull();
      else indexKeys.appendText(keys);
      const decoded = typeDecoded ? context.decoders.decode({ payloadType: typeText, payload: bytes.subarray(at, end) }) : UNDECODED;
      if (decoded === UNDECODED) payloadJson.appendNull();
      else payloadJson.appendText(toJson(decoded));
    }
    return exportColumnsTable({
      seq: this.#seq.subarray(0, count),
      tsInit: this.#tsInit.subarray(0, count),
      tsPublish: this.#tsPublish.subarray(0, count),
      topic,
      payloadType,
      correlationId,
      causationId,
      payload,
      entryHash,
      indexKeys,
      payloadJson,
    });
  }
}

function sameBytes(bytes: Uint8Array, left: number, right: number, length: number): boolean {
  if (left < 0) return false;
  for (let index = 0; index < length; index++) if (bytes[left + index] !== bytes[right + index]) return false;
  return true;
}
