/** How `scan` and `lookup` show one entry: a key=value line for people, an object for `--json`. */
import { type EventStoreEntry, toHex } from '@tapelog/core';

export function entryLine(entry: EventStoreEntry): string {
  let line =
    `seq=${entry.seq} ts_init=${entry.tsInit} ts_publish=${entry.tsPublish} topic=${entry.topic} ` +
    `payload_type=${entry.payloadType} payload_bytes=${entry.payload.length} entry_hash=${toHex(entry.entryHash)}`;
  if (entry.headers.correlationId !== undefined) line += ` correlation_id=${entry.headers.correlationId}`;
  if (entry.headers.causationId !== undefined) line += ` causation_id=${entry.headers.causationId}`;
  return line;
}

export function entryObject(entry: EventStoreEntry): Record<string, unknown> {
  return {
    seq: entry.seq,
    tsInit: entry.tsInit,
    tsPublish: entry.tsPublish,
    topic: entry.topic,
    payloadType: entry.payloadType,
    headers: entry.headers,
    entryHash: toHex(entry.entryHash),
    payloadBase64: Buffer.from(entry.payload.buffer, entry.payload.byteOffset, entry.payload.byteLength).toString('base64'),
  };
}
