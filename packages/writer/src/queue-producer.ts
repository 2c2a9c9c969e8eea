/**
 * The producer side of the shared ring (main thread): copies a draft into the ring as one
 * record and publishes it with two atomic adds. It never blocks; `tryPublish` reports "no room"
 * and the writer decides how to wait. Single producer: the write offset lives here only.
 */
import type { EntryDraft } from '@tapelog/core';
import { Control, type ControlWords, RecordFlag, RecordKind, RecordOffset } from './shared-queue.js';
import { writeUuidHeader } from './uuid-header.js';

const ENCODED_CACHE_LIMIT = 4096;
const EMPTY = new Uint8Array(0);
/** Texts up to this many UTF-16 units are copied by character code when they are ASCII. */
const SHORT_TEXT = 64;
/** Result of `tryPublish` when the ring has no room (a record was not written). */
export const NO_ROOM = -1;

export class QueueProducer {
  readonly #control: ControlWords;
  readonly #words: Int32Array;
  readonly #bytes: Uint8Array;
  readonly #buffer: Buffer;
  readonly #view: DataView;
  readonly #size: number;
  readonly #capacity: number;
  /** Topics and payload types repeat: their UTF-8 bytes are cached up to a bound. */
  readonly #encoded = new Map<string, Uint8Array>();
  /** The draft `measure` saw last and the bytes it looked up for it, which `tryPublish` reuses. */
  #measured: EntryDraft | undefined;
  #measuredTopic: Uint8Array = EMPTY;
  #measuredPayloadType: Uint8Array = EMPTY;
  #writeOffset = 0;

  constructor(control: ControlWords, ring: SharedArrayBuffer, channelCapacity: number) {
    this.#control = control;
    this.#words = control.words;
    this.#bytes = new Uint8Array(ring);
    this.#buffer = Buffer.from(ring);
    this.#view = new DataView(ring);
    this.#size = ring.byteLength;
    this.#capacity = channelCapacity;
  }

  /** The largest record the ring takes: half of it, so a wrap can always fit one. */
  get maxRecordBytes(): number {
    return this.#size >>> 1;
  }

  #encode(text: string): Uint8Array {
    let bytes = this.#encoded.get(text);
    if (bytes === undefined) {
      bytes = Buffer.from(text, 'utf8');
      if (this.#encoded.size < ENCODED_CACHE_LIMIT) this.#encoded.set(text, bytes);
    }
    return bytes;
  }

  /** True when a record of `maxBytes` fits now (entry count and bytes, wrap included). */
  hasRoom(maxBytes: number): boolean {
    if (Atomics.load(this.#words, Control.QUEUED) >= this.#capacity) return false;
    const free = this.#size - Atomics.load(this.#words, Control.USED_BYTES);
    const tail = this.#size - this.#writeOffset;
    return maxBytes <= tail ? maxBytes <= free : tail + maxBytes <= free;
  }

  /**
   * An upper bound of the record size for `draft` (strings counted at 3 bytes per UTF-16 unit
   * unless cached). The draft must have passed `checkDraft`.
   */
  measure(draft: EntryDraft): number {
    const topic = this.#encode(draft.topic);
    const payloadType = this.#encode(draft.payloadType);
    this.#measured = draft;
    this.#measuredTopic = topic;
    this.#measuredPayloadType = payloadType;
    let bytes = RecordOffset.BODY + topic.length + payloadType.length + draft.payload.length;
    const headers = draft.headers;
    if (headers.correlationId !== undefined) bytes += 16;
    if (headers.causationId !== undefined) bytes += 16;
    const keys = draft.indexKeys;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      bytes += 5 + this.#encode(key.kind).length + key.key.length * 3;
    }
    return (bytes + 7) & ~7;
  }

  /**
   * Writes one record (kind ENTRY, CLOSE, ANCHOR or ABANDON) and publishes it. Returns the bytes
   * used, or NO_ROOM. Throws TypeError for a malformed UUID header before anything is published.
   */
  tryPublish(kind: number, seq: number, draft: EntryDraft, tsPublish: bigint, maxBytes: number): number {
    if (!this.hasRoom(maxBytes)) {
      // A consumer sleeping until a batch fills must not sleep through a ring full of large records.
      this.#wakeConsumer(Atomics.load(this.#words, Control.CONSUMER_SLEEPING));
      return NO_ROOM;
    }
    const size = this.#size;
    let start = this.#writeOffset;
    let padding = 0;
    if (start + maxBytes > size) {
      padding = size - start;
      start = 0;
    }
    const bytes = this.#bytes;
    const view = this.#view;
    let offset = start + RecordOffset.BODY;
    let flags = 0;
    const headers = draft.headers;
    if (headers.correlationId !== undefined) {
      writeUuidHeader(bytes, offset, headers.correlationId, 'correlationId');
      flags |= RecordFlag.CORRELATION;
      offset += 16;
    }
    if (headers.causationId !== undefined) {
      writeUuidHeader(bytes, offset, headers.causationId, 'causationId');
      flags |= RecordFlag.CAUSATION;
      offset += 16;
    }
    const measured = draft === this.#measured;
    const topic = measured ? this.#measuredTopic : this.#encode(draft.topic);
    bytes.set(topic, offset);
    offset += topic.length;
    const payloadType = measured ? this.#measuredPayloadType : this.#encode(draft.payloadType);
    bytes.set(payloadType, offset);
    offset += payloadType.length;
    const payload = draft.payload;
    bytes.set(payload, offset);
    offset += payload.length;
    const keys = draft.indexKeys;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const kindBytes = this.#encode(key.kind);
      bytes[offset] = kindBytes.length;
      bytes.set(kindBytes, offset + 1);
      offset += 1 + kindBytes.length;
      const written = this.#writeText(key.key, offset + 4);
      view.setUint32(offset, written, true);
      offset += 4 + written;
    }
    const total = (offset - start + 7) & ~7;
    view.setUint32(start + RecordOffset.TOTAL, total, true);
    bytes[start + RecordOffset.KIND] = kind;
    bytes[start + RecordOffset.FLAGS] = flags;
    view.setUint16(start + RecordOffset.KEY_COUNT, keys.length, true);
    view.setFloat64(start + RecordOffset.SEQ, seq, true);
    view.setBigUint64(start + RecordOffset.TS_INIT, draft.tsInit, true);
    view.setBigUint64(start + RecordOffset.TS_PUBLISH, tsPublish, true);
    view.setUint32(start + RecordOffset.TOPIC_LENGTH, topic.length, true);
    view.setUint32(start + RecordOffset.PAYLOAD_TYPE_LENGTH, payloadType.length, true);
    view.setUint32(start + RecordOffset.PAYLOAD_LENGTH, payload.length, true);
    // The wrap marker goes last: until USED_BYTES grows the consumer never reads past its offset.
    if (padding > 0) view.setUint32(this.#writeOffset + RecordOffset.TOTAL, 0, true);
    const next = start + total;
    this.#writeOffset = next === size ? 0 : next;
    const words = this.#words;
    Atomics.add(words, Control.USED_BYTES, padding + total);
    const queued = Atomics.add(words, Control.QUEUED, 1) + 1;
    // Wake the writer only when it sleeps, only once per sleep, and only once as many records are
    // queued as it asked for: a notify to a waiting thread costs several times the copy, and a
    // writer woken per record (it hashes one faster than the next arrives) costs one per entry.
    // Anchors, close and abandon are waited for, so they always wake it.
    const wakeAt = Atomics.load(words, Control.CONSUMER_SLEEPING);
    if (wakeAt !== 0 && (queued >= wakeAt || kind !== RecordKind.ENTRY)) this.#wakeConsumer(wakeAt);
    return padding + total;
  }

  /**
   * Writes `text` as UTF-8 at `at` and returns its byte length. Index keys are short ASCII ids:
   * copied by character code they cost a fraction of a native `Buffer.write` call.
   */
  #writeText(text: string, at: number): number {
    const length = text.length;
    if (length > SHORT_TEXT) return this.#buffer.write(text, at, 'utf8');
    const bytes = this.#bytes;
    for (let i = 0; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code > 0x7f) return this.#buffer.write(text, at, 'utf8');
      bytes[at + i] = code;
    }
    return length;
  }

  /** Wakes a consumer sleeping with wake threshold `wakeAt` (0: awake), unless someone else already did. */
  #wakeConsumer(wakeAt: number): void {
    if (wakeAt !== 0 && Atomics.compareExchange(this.#words, Control.CONSUMER_SLEEPING, wakeAt, 0) === wakeAt) {
      this.#control.bump(Control.PRODUCED_SIGNAL);
    }
  }
}

/**
 * The payload-free draft an anchor record carries: blob reference and content hash as strings,
 * and in `tsInit` the seq the snapshot covers plus one (0: the durable hwm where the record is reached).
 */
export function anchorRecordDraft(blobRef: string, contentHash: string, coversSeq?: number): EntryDraft {
  const covers = coversSeq === undefined ? 0n : BigInt(coversSeq) + 1n;
  return { headers: {}, topic: blobRef, payloadType: contentHash, payload: EMPTY, tsInit: covers, indexKeys: [] };
}

/** The hwm an anchor record anchors at, reached once everything queued before it is durable at `durable`. */
export function anchorRecordCovers(draft: EntryDraft, durable: number): number {
  return draft.tsInit === 0n ? durable : Number(draft.tsInit - 1n);
}

/**
 * Checks an explicit `coversSeq` of recordSnapshotAnchor: from `floor` (what the previous anchor
 * covers at least; the store refuses an older anchor, and a refused anchor halts the writer) to
 * the accepted seq. Returns what the new anchor covers at least, the next call's floor.
 */
export function checkCoversSeq(coversSeq: number | undefined, floor: number, acceptedSeq: number): number {
  if (coversSeq === undefined) return acceptedSeq;
  if (!Number.isSafeInteger(coversSeq) || coversSeq < floor || coversSeq > acceptedSeq) {
    throw new RangeError(`coversSeq must be an integer from ${floor} (the previous anchor) to the accepted seq ${acceptedSeq}, got ${String(coversSeq)}`);
  }
  return coversSeq;
}

export { RecordKind };
