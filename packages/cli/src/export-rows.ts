/**
 * The row model of `tapelog export`: one row per entry with its seq, times, topic, payload type,
 * headers, payload bytes, entry hash, the index keys first recorded at it, and the decoded payload
 * as JSON text where a decoder reads it. Columns are built per batch as Arrow vectors.
 */

import type { EventStore, EventStoreEntry } from '@tapelog/core';
import { makeVector, Table } from 'apache-arrow';
import { VariableWidthColumn } from './arrow-columns.js';
import { toJson } from './json-output.js';
import { type PayloadDecoders, UNDECODED } from './payload-decoders.js';

/** Index kinds exported: the built-in ones, which every backend may hold. */
export const EXPORTED_INDEX_KINDS = ['client_order_id', 'venue_order_id'] as const;

/** Export column names, in file order. */
export const EXPORT_COLUMNS = [
  'seq',
  'ts_init',
  'ts_publish',
  'topic',
  'payload_type',
  'correlation_id',
  'causation_id',
  'payload',
  'entry_hash',
  'index_keys',
  'payload_json',
] as const;

/** Columns whose values are (nearly) all distinct: Parquet stores them without a dictionary. */
export const PARQUET_UNIQUE_COLUMNS: readonly (typeof EXPORT_COLUMNS)[number][] = [
  'seq',
  'ts_init',
  'ts_publish',
  'correlation_id',
  'causation_id',
  'payload',
  'entry_hash',
  'index_keys',
];

/** Columns of arbitrary bytes (payloads, hashes): Parquet keeps no min/max statistics for them. */
export const PARQUET_UNSORTED_COLUMNS: readonly (typeof EXPORT_COLUMNS)[number][] = ['payload', 'entry_hash'];

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

/** The columns of one batch, filled row by row (from entries or from record bytes). */
export interface ExportColumnBuffers {
  seq: BigInt64Array;
  tsInit: BigInt64Array;
  tsPublish: BigInt64Array;
  topic: VariableWidthColumn;
  payloadType: VariableWidthColumn;
  correlationId: VariableWidthColumn;
  causationId: VariableWidthColumn;
  payload: VariableWidthColumn;
  entryHash: VariableWidthColumn;
  indexKeys: VariableWidthColumn;
  payloadJson: VariableWidthColumn;
}

/** The Arrow table of a batch's columns, named and typed as `EXPORT_COLUMNS` lists them. */
export function exportColumnsTable(columns: ExportColumnBuffers): Table {
  return new Table({
    seq: makeVector(columns.seq),
    ts_init: makeVector(columns.tsInit),
    ts_publish: makeVector(columns.tsPublish),
    topic: columns.topic.toUtf8(),
    payload_type: columns.payloadType.toUtf8(),
    correlation_id: columns.correlationId.toUtf8(),
    causation_id: columns.causationId.toUtf8(),
    payload: columns.payload.toBinary(),
    entry_hash: columns.entryHash.toUtf8(),
    index_keys: columns.indexKeys.toUtf8(),
    payload_json: columns.payloadJson.toUtf8(),
  });
}

/** One Arrow table (one record batch) for a batch of entries. */
export function entriesToArrowTable(entries: readonly EventStoreEntry[], context: ExportRowContext): Table {
  const count = entries.length;
  const seq = new BigInt64Array(count);
  const tsInit = new BigInt64Array(count);
  const tsPublish = new BigInt64Array(count);
  const topic = new VariableWidthColumn(count, 24);
  const payloadType = new VariableWidthColumn(count, 16);
  const correlationId = new VariableWidthColumn(count, 36);
  const causationId = new VariableWidthColumn(count, 36);
  const payload = new VariableWidthColumn(count, 160);
  const entryHash = new VariableWidthColumn(count, 64);
  const indexKeys = new VariableWidthColumn(count, 4);
  const payloadJson = new VariableWidthColumn(count, 8);
  const text = (column: VariableWidthColumn, value: string | null | undefined) => (value == null ? column.appendNull() : column.appendText(value));
  for (let index = 0; index < count; index++) {
    const entry = entries[index]!;
    seq[index] = BigInt(entry.seq);
    tsInit[index] = entry.tsInit;
    tsPublish[index] = entry.tsPublish;
    topic.appendRepeatedText(entry.topic);
    payloadType.appendRepeatedText(entry.payloadType);
    text(correlationId, entry.headers.correlationId);
    text(causationId, entry.headers.causationId);
    payload.appendBytes(entry.payload);
    entryHash.appendHex(entry.entryHash);
    text(indexKeys, context.indexKeys.get(entry.seq));
    text(payloadJson, decodedPayloadJson(entry, context.decoders));
  }
  return exportColumnsTable({ seq, tsInit, tsPublish, topic, payloadType, correlationId, causationId, payload, entryHash, indexKeys, payloadJson });
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
