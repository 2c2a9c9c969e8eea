/**
 * The one workload every store in the peer comparison writes: tapelog entries (hashed, then
 * encoded with tapelog's entry codec) cut into batches, with the same key and value bytes
 * prepared for the raw stores, so every store persists identical payloads.
 */
import { type AppendEntry, buildAppendEntry, encodeEntry } from '@tapelog/core';

/** One entry in every form a store needs; the bytes are computed once, before any timing. */
export interface WorkloadRow {
  seq: number;
  /** `e` followed by the big-endian u64 seq: ordered like tapelog's own entry keys. */
  key: Buffer;
  /** The tapelog-encoded entry (frame + positional body). */
  value: Buffer;
}

export interface WorkloadBatch {
  entries: AppendEntry[];
  rows: WorkloadRow[];
}

export interface Workload {
  payloadBytes: number;
  batchSize: number;
  entryCount: number;
  /** Bytes of one encoded entry (payload plus tapelog's framing, hash and metadata). */
  encodedEntryBytes: number;
  batches: WorkloadBatch[];
}

/** A payload that does not compress to nothing, identical for every entry. */
function samplePayload(bytes: number): Uint8Array {
  const payload = new Uint8Array(bytes);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 31 + (i >> 8)) & 0xff;
  return payload;
}

export function entryKey(seq: number): Buffer {
  const key = Buffer.alloc(9);
  key[0] = 0x65;
  key.writeBigUInt64BE(BigInt(seq), 1);
  return key;
}

/** `batchCount` batches of `batchSize` entries with seq 1, 2, 3 … */
export function buildWorkload(payloadBytes: number, batchSize: number, batchCount: number): Workload {
  const payload = samplePayload(payloadBytes);
  const batches: WorkloadBatch[] = [];
  for (let batchIndex = 0; batchIndex < batchCount; batchIndex++) {
    const entries: AppendEntry[] = [];
    const rows: WorkloadRow[] = [];
    for (let i = 1; i <= batchSize; i++) {
      const seq = batchIndex * batchSize + i;
      const tsInit = 1_700_000_000_000_000_000n + BigInt(seq);
      const appended = buildAppendEntry(
        { headers: {}, topic: 'events.order.O-1', payloadType: 'OrderFilled', payload, tsInit, indexKeys: [] },
        seq,
        tsInit + 1n,
      );
      entries.push(appended);
      const encoded = encodeEntry(appended.entry);
      rows.push({ seq, key: entryKey(seq), value: Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength) });
    }
    batches.push({ entries, rows });
  }
  return { payloadBytes, batchSize, entryCount: batchSize * batchCount, encodedEntryBytes: batches[0]?.rows[0]?.value.length ?? 0, batches };
}
