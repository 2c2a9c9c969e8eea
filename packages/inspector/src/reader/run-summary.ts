/**
 * The compact per-run picture the timeline and correlation pages are answered from, built by one
 * hash-checked pass over a sealed run (which never changes afterwards): per entry its time, lane,
 * topic and payload type (typed arrays, ~20 bytes an entry), which order ids its payload names,
 * and the first bytes of its causation id. A million-entry run fits in a few tens of megabytes,
 * so every later page is answered without reading the run again.
 */
import { EventStoreReader, RUN_ENDED_PAYLOAD_TYPE, RUN_STARTED_PAYLOAD_TYPE, type EventStore, type SnapshotAnchor } from '@tapelog/core';
import { laneOfTopic } from '../topic-lanes.js';
import { decodePayload, visitOrderIds } from './payload-decoding.js';

const SUMMARY_CHUNK_SIZE = 4096;

export interface RunSummary {
  entries: number;
  /** tsInit of the first entry (the origin of `offsets`), ns since the epoch. */
  originNs: bigint;
  /** Per entry (index seq-1): tsInit - originNs in ns. Exact up to ~104 days after the origin. */
  offsets: Float64Array;
  lanes: Uint8Array;
  topicIds: Uint16Array;
  topics: string[];
  typeIds: Uint16Array;
  payloadTypes: string[];
  /** Entry indices in time order; undefined when seq order already is time order (the usual case). */
  timeOrder: Uint32Array | undefined;
  /** Order id (from the payload's *OrderId fields) → the seqs carrying it, ascending. */
  orderIds: Map<string, number[]>;
  /** Per entry: the first 32 bits of its causation id, 0 when it has none. */
  causationPrefixes: Uint32Array;
  /** Index keys first recorded at each seq. */
  indexKeysBySeq: Map<number, Array<{ kind: string; key: string }>>;
  lifecycleSeqs: number[];
  anchor: SnapshotAnchor | undefined;
}

/** The first 32 bits of a UUID's text as a number; 0 for anything else. */
export function uuidPrefix(uuid: string | undefined): number {
  if (uuid === undefined) return 0;
  const value = Number.parseInt(uuid.slice(0, 8), 16);
  return Number.isNaN(value) ? 0 : value >>> 0 || 1;
}

function interner(): { ids: Map<string, number>; list: string[]; id: (text: string) => number } {
  const ids = new Map<string, number>();
  const list: string[] = [];
  return {
    ids,
    list,
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

export async function buildRunSummary(store: EventStore, onProgress?: (walked: number, total: number) => void): Promise<RunSummary> {
  const reader = new EventStoreReader(store);
  const entries = await store.highWatermark();
  const offsets = new Float64Array(entries);
  const lanes = new Uint8Array(entries);
  const topicIds = new Uint16Array(entries);
  const typeIds = new Uint16Array(entries);
  const causationPrefixes = new Uint32Array(entries);
  const topics = interner();
  const types = interner();
  const orderIds = new Map<string, number[]>();
  const lifecycleSeqs: number[] = [];
  let originNs: bigint | undefined;
  let monotonic = true;
  let previous = -Infinity;
  for await (const chunk of reader.scanChunks(1, entries, 'forward', SUMMARY_CHUNK_SIZE)) {
    for (const entry of chunk) {
      const index = entry.seq - 1;
      originNs ??= entry.tsInit;
      const offset = Number(entry.tsInit - originNs);
      if (offset < previous) monotonic = false;
      previous = offset;
      offsets[index] = offset;
      lanes[index] = laneOfTopic(entry.topic);
      topicIds[index] = topics.id(entry.topic);
      typeIds[index] = types.id(entry.payloadType);
      causationPrefixes[index] = uuidPrefix(entry.headers.causationId);
      if (entry.payloadType === RUN_STARTED_PAYLOAD_TYPE || entry.payloadType === RUN_ENDED_PAYLOAD_TYPE) lifecycleSeqs.push(entry.seq);
      const payload = decodePayload(entry.payloadType, entry.payload);
      if (payload.decoded) {
        visitOrderIds(payload.value, (key) => {
          const seqs = orderIds.get(key);
          if (seqs === undefined) orderIds.set(key, [entry.seq]);
          else if (seqs[seqs.length - 1] !== entry.seq) seqs.push(entry.seq);
        });
      }
    }
    onProgress?.(chunk[chunk.length - 1]!.seq, entries);
  }
  const indexKeysBySeq = new Map<number, Array<{ kind: string; key: string }>>();
  for (const kind of await store.indexKinds()) {
    for (const [key, seq] of await store.iterIndexKeys(kind)) {
      const keys = indexKeysBySeq.get(seq);
      if (keys === undefined) indexKeysBySeq.set(seq, [{ kind, key }]);
      else keys.push({ kind, key });
    }
  }
  let timeOrder: Uint32Array | undefined;
  if (!monotonic) {
    timeOrder = new Uint32Array(entries);
    for (let index = 0; index < entries; index += 1) timeOrder[index] = index;
    timeOrder.sort((left, right) => offsets[left]! - offsets[right]! || left - right);
  }
  return {
    entries,
    originNs: originNs ?? 0n,
    offsets,
    lanes,
    topicIds,
    topics: topics.list,
    typeIds,
    payloadTypes: types.list,
    timeOrder,
    orderIds,
    causationPrefixes,
    indexKeysBySeq,
    lifecycleSeqs,
    anchor: await store.latestSnapshotAnchor(),
  };
}
