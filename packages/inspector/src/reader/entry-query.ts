/**
 * One entry as the entry page shows it: headers, the index keys first recorded at it, its payload
 * decoded where a decoder reads it (bytes as base64 otherwise), its hash, and its neighbours.
 */
import { type EventStore, toHex } from '@tapelog/core';
import { decodePayload } from './payload-decoding.js';
import type { RunSummary } from './run-summary.js';

const NEIGHBOURS = 5;

export interface EntryAnswer {
  seq: number;
  tsInit: bigint;
  tsPublish: bigint;
  topic: string;
  payloadType: string;
  headers: { correlationId: string | null; causationId: string | null };
  indexKeys: Array<{ kind: string; key: string }>;
  entryHash: string;
  payloadBytes: number;
  payload: { decoded: true; value: unknown } | { decoded: false; base64: string };
  neighbours: Array<{ seq: number; offset: number; topic: string; payloadType: string }>;
  highWatermark: number;
}

export async function queryEntry(summary: RunSummary, store: EventStore, seq: number): Promise<EntryAnswer | undefined> {
  if (!Number.isSafeInteger(seq) || seq < 1 || seq > summary.entries) return undefined;
  const entry = await store.scanSeq(seq);
  if (entry === undefined) return undefined;
  const decoded = decodePayload(entry.payloadType, entry.payload);
  const neighbours: EntryAnswer['neighbours'] = [];
  for (let other = Math.max(1, seq - NEIGHBOURS); other <= Math.min(summary.entries, seq + NEIGHBOURS); other += 1) {
    const index = other - 1;
    neighbours.push({
      seq: other,
      offset: summary.offsets[index]!,
      topic: summary.topics[summary.topicIds[index]!]!,
      payloadType: summary.payloadTypes[summary.typeIds[index]!]!,
    });
  }
  return {
    seq,
    tsInit: entry.tsInit,
    tsPublish: entry.tsPublish,
    topic: entry.topic,
    payloadType: entry.payloadType,
    headers: { correlationId: entry.headers.correlationId ?? null, causationId: entry.headers.causationId ?? null },
    indexKeys: summary.indexKeysBySeq.get(seq) ?? [],
    entryHash: toHex(entry.entryHash),
    payloadBytes: entry.payload.byteLength,
    payload: decoded.decoded
      ? decoded
      : { decoded: false, base64: Buffer.from(entry.payload.buffer, entry.payload.byteOffset, entry.payload.byteLength).toString('base64') },
    neighbours,
    highWatermark: summary.entries,
  };
}
