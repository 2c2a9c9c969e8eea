/**
 * The row model of `tapelog export`: one row per entry with its seq, times, topic, payload type,
 * headers, payload bytes, entry hash, the index keys first recorded at it, and the decoded payload
 * as JSON text where a decoder reads it. Columns are built per batch as Arrow vectors.
 */
import { Binary, Table, Utf8, makeVector, vectorFromArray } from 'apache-arrow';
import { toHex, type EventStore, type EventStoreEntry } from '@tapelog/core';
import { toJson } from './json-output.js';
import { UNDECODED, type PayloadDecoders } from './payload-decoders.js';

/** Index kinds exported: the built-in ones, which every backend may hold. */
export const EXPORTED_INDEX_KINDS = ['client_order_id', 'venue_order_id'] as const;

/** Export column names, in file order. */
export const EXPORT_COLUMNS = [
  'seq', 'ts_init', 'ts_publish', 'topic', 'payload_type', 'correlation_id', 'causation_id',
  'payload', 'entry_hash', 'index_keys', 'payload_json',
] as const;

/**
 * `seq → "kind:key,kind:key"` for the seqs that first recorded a key. The index holds one row per
 * key (far fewer than entries), so it is read once up front; entries are streamed.
 */
export async function indexKeysBySeq(store: EventStore): Promise<Map<number, string>> {
  const bySeq = new Map<number, string>();
  for (const kind of EXPORTED_INDEX_KINDS) {
    for (const [key, seq] of await store.iterIndexKeys(kind)) {
      const previous = bySeq.get(seq);
      bySeq.set(seq, previous === undefined ? `${kind}:${key}` : `${previous},${kind}:${key}`);
    }
  }
  return bySeq;
}

export interface ExportRowContext {
  decoders: PayloadDecoders;
  indexKeys: ReadonlyMap<number, string>;
}

/** The decoded payload as JSON text, or null when no decoder reads it. */
export function decodedPayloadJson(entry: EventStoreEntry, decoders: PayloadDecoders): string | null {
  const decoded = decoders.decode(entry);
  return decoded === UNDECODED ? null : toJson(decoded);
}

/** One Arrow table (one record batch) for a batch of entries. */
export function entriesToArrowTable(entries: readonly EventStoreEntry[], context: ExportRowContext): Table {
  const count = entries.length;
  const seq = new BigInt64Array(count);
  const tsInit = new BigInt64Array(count);
  const tsPublish = new BigInt64Array(count);
  const topic: string[] = new Array(count);
  const payloadType: string[] = new Array(count);
  const correlationId: Array<string | null> = new Array(count);
  const causationId: Array<string | null> = new Array(count);
  const payload: Uint8Array[] = new Array(count);
  const entryHash: string[] = new Array(count);
  const indexKeys: Array<string | null> = new Array(count);
  const payloadJson: Array<string | null> = new Array(count);
  for (let index = 0; index < count; index++) {
    const entry = entries[index]!;
    seq[index] = BigInt(entry.seq);
    tsInit[index] = entry.tsInit;
    tsPublish[index] = entry.tsPublish;
    topic[index] = entry.topic;
    payloadType[index] = entry.payloadType;
    correlationId[index] = entry.headers.correlationId ?? null;
    causationId[index] = entry.headers.causationId ?? null;
    payload[index] = entry.payload;
    entryHash[index] = toHex(entry.entryHash);
    indexKeys[index] = context.indexKeys.get(entry.seq) ?? null;
    payloadJson[index] = decodedPayloadJson(entry, context.decoders);
  }
  return new Table({
    seq: makeVector(seq),
    ts_init: makeVector(tsInit),
    ts_publish: makeVector(tsPublish),
    topic: vectorFromArray(topic, new Utf8()),
    payload_type: vectorFromArray(payloadType, new Utf8()),
    correlation_id: vectorFromArray(correlationId, new Utf8()),
    causation_id: vectorFromArray(causationId, new Utf8()),
    payload: vectorFromArray(payload, new Binary()),
    entry_hash: vectorFromArray(entryHash, new Utf8()),
    index_keys: vectorFromArray(indexKeys, new Utf8()),
    payload_json: vectorFromArray(payloadJson, new Utf8()),
  });
}

/** One JSON Lines object per entry, with the same fields as the columnar formats. */
export function entryToJsonRow(entry: EventStoreEntry, context: ExportRowContext): string {
  return toJson({
    seq: entry.seq,
    ts_init: entry.tsInit,
    ts_publish: entry.tsPublish,
    topic: entry.topic,
    payload_type: entry.payloadType,
    correlation_id: entry.headers.correlationId ?? null,
    causation_id: entry.headers.causationId ?? null,
    payload: Buffer.from(entry.payload.buffer, entry.payload.byteOffset, entry.payload.byteLength).toString('base64'),
    entry_hash: entry.entryHash,
    index_keys: context.indexKeys.get(entry.seq) ?? null,
    payload_json: decodedPayloadJson(entry, context.decoders),
  });
}
