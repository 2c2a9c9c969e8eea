/**
 * The compact per-run picture the timeline and correlation pages are answered from, built by one
 * hash-checked pass over a sealed run (which never changes afterwards), answered from while it is
 * being filled (the timeline of a large run draws at once from a sample and completes as it is read): per entry its time, lane,
 * topic and payload type (typed arrays, ~20 bytes an entry), which order ids its payload names,
 * and the first bytes of its causation id. A million-entry run fits in a few tens of megabytes,
 * so every later page is answered without reading the run again.
 */
import { type EventStore, EventStoreReader, RUN_ENDED_PAYLOAD_TYPE, RUN_STARTED_PAYLOAD_TYPE, type SnapshotAnchor } from '@tapelog/core';
import { laneOfTopic } from '../topic-lanes.js';
import { decodePayload, visitOrderIds } from './payload-decoding.js';
import { type RunSample, readRunSample } from './run-sample.js';

/** Entries read and summarised between two turns of the reader's event loop (requests wait at most one chunk). */
const SUMMARY_CHUNK_SIZE = 1024;

export interface RunSummary {
  entries: number;
  /** How many entries (seq 1..walked) are summarised so far: pages are answered while it grows. */
  walked: number;
  /** True once every entry and the index are summarised (and `timeOrder` is final). */
  complete: boolean;
  /** tsInit of the first entry (the origin of `offsets`), ns since the epoch. */
  originNs: bigint;
  /** Per entry (index seq-1): tsInit - originNs in ns. Exact up to ~104 days after the origin. */
  offsets: Float64Array;
  lanes: Uint8Array;
  topicIds: Uint16Array;
  topics: string[];
  typeIds: Uint16Array;
  payloadTypes: string[];
  /** Entry indices in time order; undefined when seq order is time order (the usual case) or before `complete`. */
  timeOrder: Uint32Array | undefined;
  /** False once an entry's time was found earlier than its predecessor's. */
  monotonic: boolean;
  /** Order id (from the payload's *OrderId fields) → the seqs carrying it, ascending. */
  orderIds: Map<string, number[]>;
  /** Per entry: the first 32 bits of its causation id, 0 when it has none. */
  causationPrefixes: Uint32Array;
  /** Index keys first recorded at each seq (filled at the end). */
  indexKeysBySeq: Map<number, Array<{ kind: string; key: string }>>;
  lifecycleSeqs: number[];
  anchor: SnapshotAnchor | undefined;
  /** Entries read at evenly spaced seqs before the full pass: the timeline estimates the unread part of the run from it. */
  sample: RunSample | undefined;
}

/** The first 32 bits of a UUID's text as a number; 0 for anything else. */
export function uuidPrefix(uuid: string | undefined): number {
  if (uuid === undefined) return 0;
  const value = Number.parseInt(uuid.slice(0, 8), 16);
  return Number.isNaN(value) ? 0 : value >>> 0 || 1;
}

function interner(list: string[]): { id: (text: string) => number } {
  const ids = new Map<string, number>();
  return {
    id(text) {
      let id = ids.get(text);
      if (id === undefined) {
        // Past 65,535 distinct names the rest share the last id (shown as "(many)"): never a wrong lane.
        id = Math.min(list.length, 0xffff);
        if (id === list.length) list.push(text);
        else list[0xffff] = '(many)';
        ids.set(text, id);
      }
      return id;
    },
  };
}

/** Bytes every payload naming an order carries (as a MessagePack key): the rest are not decoded. */
const ORDER_ID_MARKER = Buffer.from('rderId');

/** A summary sized for the run holding only its sample (a fraction of a second's reading); `fillRunSummary` fills it. */
export async function startRunSummary(store: EventStore): Promise<RunSummary> {
  const entries = await store.highWatermark();
  const anchor = await store.latestSnapshotAnchor();
  const sample = await readRunSample(store, entries, anchor === undefined ? [] : [anchor.highWatermark]);
  return {
    entries,
    walked: 0,
    complete: false,
    originNs: sample?.originNs ?? 0n,
    offsets: new Float64Array(entries),
    lanes: new Uint8Array(entries),
    topicIds: new Uint16Array(entries),
    topics: [],
    typeIds: new Uint16Array(entries),
    payloadTypes: [],
    timeOrder: undefined,
    monotonic: true,
    orderIds: new Map(),
    causationPrefixes: new Uint32Array(entries),
    indexKeysBySeq: new Map(),
    lifecycleSeqs: [],
    anchor,
    sample,
  };
}

/** Reads the whole run once (every entry hash-checked) into `summary`, advancing `walked` after each chunk. */
export async function fillRunSummary(store: EventStore, summary: RunSummary): Promise<void> {
  const reader = new EventStoreReader(store);
  const { entries, offsets, lanes, topicIds, typeIds, causationPrefixes, orderIds, lifecycleSeqs } = summary;
  const topics = interner(summary.topics);
  const types = interner(summary.payloadTypes);
  let previous = -Infinity;
  for await (const chunk of reader.scanChunks(1, entries, 'forward', SUMMARY_CHUNK_SIZE)) {
    for (const entry of chunk) {
      const index = entry.seq - 1;
      if (index === 0) summary.originNs = entry.tsInit;
      const offset = Number(entry.tsInit - summary.originNs);
      if (offset < previous) summary.monotonic = false;
      previous = offset;
      offsets[index] = offset;
      lanes[index] = laneOfTopic(entry.topic);
      topicIds[index] = topics.id(entry.topic);
      typeIds[index] = types.id(entry.payloadType);
      causationPrefixes[index] = uuidPrefix(entry.headers.causationId);
      if (entry.payloadType === RUN_STARTED_PAYLOAD_TYPE || entry.payloadType === RUN_ENDED_PAYLOAD_TYPE) lifecycleSeqs.push(entry.seq);
      // Decoding is most of the cost: only payloads that can name an order are decoded.
      if (Buffer.from(entry.payload.buffer, entry.payload.byteOffset, entry.payload.byteLength).indexOf(ORDER_ID_MARKER) < 0) continue;
      const payload = decodePayload(entry.payloadType, entry.payload);
      if (payload.decoded) {
        visitOrderIds(payload.value, (key) => {
          const seqs = orderIds.get(key);
          if (seqs === undefined) orderIds.set(key, [entry.seq]);
          else if (seqs[seqs.length - 1] !== entry.seq) seqs.push(entry.seq);
        });
      }
    }
    summary.walked = chunk[chunk.length - 1]!.seq;
  }
  for (const kind of await store.indexKinds()) {
    for (const [key, seq] of await store.iterIndexKeys(kind)) {
      const keys = summary.indexKeysBySeq.get(seq);
      if (keys === undefined) summary.indexKeysBySeq.set(seq, [{ kind, key }]);
      else keys.push({ kind, key });
    }
  }
  if (!summary.monotonic) {
    const timeOrder = new Uint32Array(entries);
    for (let index = 0; index < entries; index += 1) timeOrder[index] = index;
    timeOrder.sort((left, right) => offsets[left]! - offsets[right]! || left - right);
    summary.timeOrder = timeOrder;
  }
  summary.complete = true;
}
