/**
 * The consumer side of the shared ring (writer thread): copies published records out of the
 * ring into plain objects and frees their space at once, so producers wait only while records
 * are being copied, never while a batch is being made durable. Payloads are copied into shared
 * slabs rather than one new buffer each, which keeps per-entry garbage off the writer thread.
 */
import { type EntryDraft, type IndexKey, utf8Text, uuidFromBytes } from '@tapelog/core';
import type { QueueRecord, RecordFeed } from './record-feed.js';
import { Control, type ControlWords, RecordFlag, RecordOffset } from './shared-queue.js';

/** Size of one payload slab: payload copies are views into it until it is full. */
const PAYLOAD_SLAB_BYTES = 256 * 1024;
/** Payloads above this get a buffer of their own, so a slab never ends in a large unused tail. */
const LARGEST_SLAB_PAYLOAD = PAYLOAD_SLAB_BYTES / 8;
/** Lanes of core's decode cache: topics, payload types, index kinds and keys each repeat in runs of their own. */
const TOPIC_LANE = 0;
const PAYLOAD_TYPE_LANE = 1;
const INDEX_KIND_LANE = 2;
const INDEX_KEY_LANE = 3;

export class QueueConsumer implements RecordFeed {
  readonly #words: Int32Array;
  readonly #bytes: Uint8Array;
  readonly #buffer: Buffer;
  readonly #view: DataView;
  readonly #size: number;
  #readOffset = 0;
  /**
   * The current payload slab, ordinary (not shared) memory: a payload view never aliases the
   * ring, whose space is reused as soon as a record is freed. A full slab is simply dropped and
   * stays alive only as long as some entry still holds a view into it.
   */
  #slab = new Uint8Array(0);
  #slabUsed = 0;

  constructor(control: ControlWords, ring: SharedArrayBuffer) {
    this.#words = control.words;
    this.#bytes = new Uint8Array(ring);
    this.#buffer = Buffer.from(ring);
    this.#view = new DataView(ring);
    this.#size = ring.byteLength;
  }

  /** Records published and not yet taken. */
  get available(): number {
    return Atomics.load(this.#words, Control.QUEUED);
  }

  /**
   * Takes up to `limit` records, stopping after the first one for which `stopAfter` returns
   * true, and frees their ring space. Returns the records in publication order.
   */
  take(limit: number, stopAfter: (record: QueueRecord) => boolean): QueueRecord[] {
    const available = Math.min(limit, Atomics.load(this.#words, Control.QUEUED));
    const records: QueueRecord[] = [];
    let freed = 0;
    for (let i = 0; i < available; i++) {
      let start = this.#readOffset;
      let total = this.#view.getUint32(start + RecordOffset.TOTAL, true);
      if (total === 0) {
        freed += this.#size - start;
        start = 0;
        total = this.#view.getUint32(RecordOffset.TOTAL, true);
      }
      const record = this.#read(start);
      records.push(record);
      freed += total;
      const next = start + total;
      this.#readOffset = next === this.#size ? 0 : next;
      if (stopAfter(record)) break;
    }
    if (records.length > 0) {
      Atomics.sub(this.#words, Control.USED_BYTES, freed);
      Atomics.sub(this.#words, Control.QUEUED, records.length);
      Atomics.add(this.#words, Control.CONSUMED_SIGNAL, 1);
      if (Atomics.load(this.#words, Control.PRODUCER_WAITING) === 1) Atomics.notify(this.#words, Control.CONSUMED_SIGNAL);
    }
    return records;
  }

  #read(start: number): QueueRecord {
    const view = this.#view;
    const bytes = this.#bytes;
    const flags = bytes[start + RecordOffset.FLAGS]!;
    const keyCount = view.getUint16(start + RecordOffset.KEY_COUNT, true);
    const topicLength = view.getUint32(start + RecordOffset.TOPIC_LENGTH, true);
    const payloadTypeLength = view.getUint32(start + RecordOffset.PAYLOAD_TYPE_LENGTH, true);
    const payloadLength = view.getUint32(start + RecordOffset.PAYLOAD_LENGTH, true);
    let offset = start + RecordOffset.BODY;
    const headers: EntryDraft['headers'] = {};
    if ((flags & RecordFlag.CORRELATION) !== 0) {
      headers.correlationId = uuidFromBytes(bytes, offset);
      offset += 16;
    }
    if ((flags & RecordFlag.CAUSATION) !== 0) {
      headers.causationId = uuidFromBytes(bytes, offset);
      offset += 16;
    }
    const topic = this.#text(offset, topicLength, TOPIC_LANE);
    offset += topicLength;
    const payloadType = this.#text(offset, payloadTypeLength, PAYLOAD_TYPE_LANE);
    offset += payloadTypeLength;
    const payload = this.#copyPayload(offset, payloadLength);
    offset += payloadLength;
    const indexKeys: IndexKey[] = [];
    for (let i = 0; i < keyCount; i++) {
      const kindLength = bytes[offset]!;
      const kind = this.#text(offset + 1, kindLength, INDEX_KIND_LANE);
      offset += 1 + kindLength;
      const keyLength = view.getUint32(offset, true);
      const key = this.#text(offset + 4, keyLength, INDEX_KEY_LANE);
      offset += 4 + keyLength;
      indexKeys.push({ kind, key });
    }
    return {
      kind: bytes[start + RecordOffset.KIND]!,
      seq: view.getFloat64(start + RecordOffset.SEQ, true),
      tsPublish: view.getBigUint64(start + RecordOffset.TS_PUBLISH, true),
      draft: { headers, topic, payloadType, payload, tsInit: view.getBigUint64(start + RecordOffset.TS_INIT, true), indexKeys },
    };
  }

  /**
   * The text of `length` ring bytes at `offset`. Topics, payload types and index keys repeat, so
   * most come from core's decode cache without a new string; the producer wrote them from
   * JavaScript strings, so they are valid UTF-8 and the fallback is never taken in practice.
   */
  #text(offset: number, length: number, lane: number): string {
    return utf8Text(this.#bytes, offset, length, lane) ?? this.#buffer.toString('utf8', offset, offset + length);
  }

  /** A private copy of `length` ring bytes at `offset`: a view into the current slab, or its own buffer when large. */
  #copyPayload(offset: number, length: number): Uint8Array {
    if (length > LARGEST_SLAB_PAYLOAD) return this.#bytes.slice(offset, offset + length);
    if (this.#slabUsed + length > this.#slab.length) {
      this.#slab = new Uint8Array(PAYLOAD_SLAB_BYTES);
      this.#slabUsed = 0;
    }
    const start = this.#slabUsed;
    this.#slab.set(this.#bytes.subarray(offset, offset + length), start);
    this.#slabUsed = start + length;
    return this.#slab.subarray(start, start + length);
  }

  /**
   * Announces the sleep in shared memory (the producer notifies only a consumer that announced
   * one, and only once `wakeAt` records are queued), then waits on the produced signal. Checked
   * after raising the flag: a producer that published before it saw the flag is seen here, and
   * so is one waiting for room (a ring full of large records, fewer than `wakeAt`).
   */
  sleep(wakeAt: number, timeoutMs: number, settles: Promise<void> | undefined): Promise<void> | undefined {
    const words = this.#words;
    const signal = Atomics.load(words, Control.PRODUCED_SIGNAL);
    Atomics.store(words, Control.CONSUMER_SLEEPING, wakeAt);
    const available = this.available;
    if (available >= wakeAt || (available > 0 && Atomics.load(words, Control.PRODUCER_WAITING) === 1)) {
      Atomics.store(words, Control.CONSUMER_SLEEPING, 0);
      return undefined;
    }
    const waiting = Atomics.waitAsync(words, Control.PRODUCED_SIGNAL, signal, timeoutMs);
    if (!waiting.async) {
      Atomics.store(words, Control.CONSUMER_SLEEPING, 0);
      return undefined;
    }
    const woken = settles === undefined ? waiting.value : Promise.race([waiting.value, settles]);
    return woken.then(() => {
      Atomics.store(words, Control.CONSUMER_SLEEPING, 0);
    });
  }
}
