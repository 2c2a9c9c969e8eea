/**
 * Durable encodings of marker rows and the marker manifest: framed MessagePack records (the
 * storage codec of core), bigint-safe. Decoding checks every field's shape and range, so a
 * damaged row surfaces as CORRUPTED naming the row kind, never as wrong data.
 */
import { corruptedError, decodeRecord, encodeRecord, RUN_STATUSES, type RunStatus, ShapeReader } from '@tapelog/core';
import { type DataClass, isDataClass } from './data-class.js';
import {
  type DataCursorSnapshot,
  type HiFiMarker,
  MARKER_GAP_REASONS,
  type MarkerGap,
  type MarkerGapReason,
  type MarkerManifest,
  type StoredMarkerRecord,
  type StreamCursor,
  type StreamDictEntry,
} from './model.js';

const U32_MAX = 0xffffffff;
const HASH_LENGTH = 32;

/** Row labels used in CORRUPTED messages (upstream's labels). */
export const ROW_LABELS = {
  Snapshot: 'cursor snapshot',
  HiFi: 'hifi marker',
  Gap: 'marker gap',
  Dict: 'stream dict entry',
  Manifest: 'marker manifest',
} as const;

function readHash(reader: ShapeReader, length = HASH_LENGTH): Uint8Array {
  const hash = reader.bytes('hash');
  if (hash.length !== length) reader.fail('hash', `${length} bytes`);
  // A plain copy: storage may hand back a Buffer view into a larger read buffer.
  return new Uint8Array(hash);
}

function u64(what: string, value: unknown, field: string): bigint {
  if (typeof value === 'bigint' && value >= 0n && value < 1n << 64n) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  throw corruptedError(`${what}: field ${field} is not an unsigned 64-bit integer`);
}

function safeCount(what: string, value: unknown, field: string, max = Number.MAX_SAFE_INTEGER): number {
  const number = typeof value === 'bigint' && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0 || number > max) {
    throw corruptedError(`${what}: field ${field} is not an integer in [0, ${max}]`);
  }
  return number;
}

export function encodeStoredSnapshot(stored: StoredMarkerRecord<DataCursorSnapshot>): Uint8Array {
  const { record, hash } = stored;
  return encodeRecord({
    markerSeq: record.markerSeq,
    eventSeqBefore: record.eventSeqBefore,
    tsInit: record.tsInit,
    // Cursors are positional triples: a snapshot can carry one per stream.
    advanced: record.advanced.map((cursor) => [cursor.slot, cursor.tsInitHi, cursor.count]),
    hash,
  });
}

export function decodeStoredSnapshot(bytes: Uint8Array): StoredMarkerRecord<DataCursorSnapshot> {
  const what = `decode ${ROW_LABELS.Snapshot}`;
  const reader = ShapeReader.of(what, decodeRecord(bytes, what));
  const list: unknown = reader.raw('advanced');
  if (!Array.isArray(list)) return reader.fail('advanced', 'a list of cursors');
  const advanced: StreamCursor[] = list.map((item: unknown, index: number) => {
    if (!Array.isArray(item) || item.length !== 3) throw corruptedError(`${what}: field advanced[${index}] is not a [slot, tsInitHi, count] triple`);
    return {
      slot: safeCount(what, item[0], `advanced[${index}].slot`, U32_MAX),
      tsInitHi: u64(what, item[1], `advanced[${index}].tsInitHi`),
      count: safeCount(what, item[2], `advanced[${index}].count`),
    };
  });
  return {
    record: {
      markerSeq: reader.safeInteger('markerSeq'),
      eventSeqBefore: reader.safeInteger('eventSeqBefore'),
      tsInit: reader.bigint('tsInit'),
      advanced,
    },
    hash: readHash(reader),
  };
}

export function encodeStoredHiFi(stored: StoredMarkerRecord<HiFiMarker>): Uint8Array {
  const { record, hash } = stored;
  return encodeRecord({
    markerSeq: record.markerSeq,
    eventSeqBefore: record.eventSeqBefore,
    slot: record.slot,
    tsEvent: record.tsEvent,
    tsInit: record.tsInit,
    sameTsOrdinal: record.sameTsOrdinal,
    recordFingerprint: record.recordFingerprint,
    hash,
  });
}

export function decodeStoredHiFi(bytes: Uint8Array): StoredMarkerRecord<HiFiMarker> {
  const what = `decode ${ROW_LABELS.HiFi}`;
  const reader = ShapeReader.of(what, decodeRecord(bytes, what));
  const recordFingerprint = reader.bytes('recordFingerprint');
  if (recordFingerprint.length !== 32) reader.fail('recordFingerprint', '32 bytes');
  return {
    record: {
      markerSeq: reader.safeInteger('markerSeq'),
      eventSeqBefore: reader.safeInteger('eventSeqBefore'),
      slot: reader.safeInteger('slot', U32_MAX),
      tsEvent: reader.bigint('tsEvent'),
      tsInit: reader.bigint('tsInit'),
      sameTsOrdinal: reader.safeInteger('sameTsOrdinal', U32_MAX),
      recordFingerprint: new Uint8Array(recordFingerprint),
    },
    hash: readHash(reader),
  };
}

export function encodeStoredGap(stored: StoredMarkerRecord<MarkerGap>): Uint8Array {
  const { record, hash } = stored;
  return encodeRecord({ fromMarkerSeq: record.fromMarkerSeq, toMarkerSeq: record.toMarkerSeq, reason: record.reason, hash });
}

export function decodeStoredGap(bytes: Uint8Array): StoredMarkerRecord<MarkerGap> {
  const what = `decode ${ROW_LABELS.Gap}`;
  const reader = ShapeReader.of(what, decodeRecord(bytes, what));
  const reason = reader.string('reason');
  if (!(MARKER_GAP_REASONS as readonly string[]).includes(reason)) reader.fail('reason', `one of ${MARKER_GAP_REASONS.join(', ')}`);
  return {
    record: { fromMarkerSeq: reader.safeInteger('fromMarkerSeq'), toMarkerSeq: reader.safeInteger('toMarkerSeq'), reason: reason as MarkerGapReason },
    hash: readHash(reader),
  };
}

export function encodeStoredDict(stored: StoredMarkerRecord<StreamDictEntry>): Uint8Array {
  const { record, hash } = stored;
  return encodeRecord({ slot: record.slot, dataClass: record.dataClass, identifier: record.identifier, hash });
}

export function decodeStoredDict(bytes: Uint8Array): StoredMarkerRecord<StreamDictEntry> {
  const what = `decode ${ROW_LABELS.Dict}`;
  const reader = ShapeReader.of(what, decodeRecord(bytes, what));
  const dataClass = reader.string('dataClass');
  if (!isDataClass(dataClass)) return reader.fail('dataClass', 'a DataClass name');
  return {
    record: { slot: reader.safeInteger('slot', U32_MAX), dataClass, identifier: reader.string('identifier') },
    hash: readHash(reader),
  };
}

export function encodeMarkerManifest(manifest: MarkerManifest): Uint8Array {
  return encodeRecord({
    runId: manifest.runId,
    enabledClasses: manifest.enabledClasses,
    highFidelity: manifest.highFidelity,
    snapshotCount: manifest.snapshotCount,
    hifiCount: manifest.hifiCount,
    gapCount: manifest.gapCount,
    dictCount: manifest.dictCount,
    status: manifest.status,
  });
}

export function decodeMarkerManifest(bytes: Uint8Array): MarkerManifest {
  const what = `decode ${ROW_LABELS.Manifest}`;
  const reader = ShapeReader.of(what, decodeRecord(bytes, what));
  const enabledClasses = reader.stringArray('enabledClasses');
  if (!enabledClasses.every(isDataClass)) reader.fail('enabledClasses', 'a list of DataClass names');
  const highFidelity = reader.raw('highFidelity');
  if (typeof highFidelity !== 'boolean') return reader.fail('highFidelity', 'a boolean');
  const status = reader.string('status');
  if (!RUN_STATUSES.includes(status as RunStatus)) reader.fail('status', `one of ${RUN_STATUSES.join(', ')}`);
  return {
    runId: reader.string('runId'),
    enabledClasses: enabledClasses as DataClass[],
    highFidelity,
    snapshotCount: reader.safeInteger('snapshotCount'),
    hifiCount: reader.safeInteger('hifiCount'),
    gapCount: reader.safeInteger('gapCount'),
    dictCount: reader.safeInteger('dictCount'),
    status: status as RunStatus,
  };
}
