import { encodeRecord } from '@tapelog/core';
import { describe, expect, it } from 'vitest';
import { type DataCursorSnapshot, newMarkerManifest } from '../src/model.js';
import {
  decodeMarkerManifest,
  decodeStoredDict,
  decodeStoredGap,
  decodeStoredHiFi,
  decodeStoredSnapshot,
  encodeMarkerManifest,
  encodeStoredDict,
  encodeStoredGap,
  encodeStoredHiFi,
  encodeStoredSnapshot,
} from '../src/record-codec.js';
import { baselineHiFi, baselineSnapshot } from './fixtures/reference-fixtures.js';
import { hashOf } from './fixtures/test-support.js';

/** A small deterministic generator, so the property cases are reproducible. */
function generator(seed: number) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
  return {
    u64: () => (BigInt(next()) << 33n) ^ BigInt(next()),
    safe: () => next() * 1000 + (next() % 1000),
    u32: () => next() % 0x1_0000_0000,
    bytes: () => Uint8Array.from({ length: 32 }, () => next() % 256),
    small: (n: number) => next() % n,
  };
}

describe('marker record codec', () => {
  it('round-trips the baseline records and the upstream examples', () => {
    expect(decodeStoredSnapshot(encodeStoredSnapshot({ record: baselineSnapshot(), hash: hashOf(1) }))).toEqual({
      record: baselineSnapshot(),
      hash: hashOf(1),
    });
    expect(decodeStoredHiFi(encodeStoredHiFi({ record: baselineHiFi(), hash: hashOf(2) }))).toEqual({ record: baselineHiFi(), hash: hashOf(2) });
    const gap = { fromMarkerSeq: 5, toMarkerSeq: 10, reason: 'Overflow' as const };
    expect(decodeStoredGap(encodeStoredGap({ record: gap, hash: hashOf(3) })).record).toEqual(gap);
    const entry = { slot: 2, dataClass: 'Bar' as const, identifier: 'BTCUSDT-PERP.BINANCE' };
    expect(decodeStoredDict(encodeStoredDict({ record: entry, hash: hashOf(4) })).record).toEqual(entry);
    const manifest = { ...newMarkerManifest('r-1', ['Trade', 'Quote'], true), status: 'Quarantined' as const, snapshotCount: 3 };
    expect(decodeMarkerManifest(encodeMarkerManifest(manifest))).toEqual(manifest);
  });

  it('is deterministic', () => {
    const stored = { record: baselineSnapshot(), hash: hashOf(1) };
    expect(encodeStoredSnapshot(stored)).toEqual(encodeStoredSnapshot(structuredClone(stored)));
  });

  it('round-trips 64 arbitrary snapshots and hifi markers (u64 timestamps, 0-7 cursors)', () => {
    const random = generator(7);
    for (let i = 0; i < 64; i++) {
      const snapshot: DataCursorSnapshot = {
        markerSeq: random.safe(),
        eventSeqBefore: random.safe(),
        tsInit: random.u64(),
        advanced: Array.from({ length: random.small(8) }, () => ({ slot: random.u32(), tsInitHi: random.u64(), count: random.safe() })),
      };
      expect(decodeStoredSnapshot(encodeStoredSnapshot({ record: snapshot, hash: random.bytes() })).record).toEqual(snapshot);
      const hifi = {
        markerSeq: random.safe(),
        eventSeqBefore: random.safe(),
        slot: random.u32(),
        tsEvent: random.u64(),
        tsInit: random.u64(),
        sameTsOrdinal: random.u32(),
        recordFingerprint: random.bytes(),
      };
      expect(decodeStoredHiFi(encodeStoredHiFi({ record: hifi, hash: random.bytes() })).record).toEqual(hifi);
    }
  });

  it.each([
    ['a non-frame', new Uint8Array([1, 2, 3])],
    ['a wrong shape', encodeRecord([1, 2])],
    ['a short hash', encodeRecord({ markerSeq: 1, eventSeqBefore: 1, tsInit: 1n, advanced: [], hash: new Uint8Array(31) })],
    ['a bad cursor', encodeRecord({ markerSeq: 1, eventSeqBefore: 1, tsInit: 1n, advanced: [[1, 2]], hash: hashOf(1) })],
    ['a negative seq', encodeRecord({ markerSeq: -1, eventSeqBefore: 1, tsInit: 1n, advanced: [], hash: hashOf(1) })],
  ])('rejects %s as CORRUPTED', (_name, bytes) => {
    expect(() => decodeStoredSnapshot(bytes)).toThrow(expect.objectContaining({ code: 'CORRUPTED' }));
  });

  it('rejects unknown gap reasons, classes and statuses as CORRUPTED', () => {
    expect(() => decodeStoredGap(encodeRecord({ fromMarkerSeq: 1, toMarkerSeq: 1, reason: 'Lost', hash: hashOf(1) }))).toThrow(
      expect.objectContaining({ code: 'CORRUPTED', message: expect.stringContaining('reason') }),
    );
    expect(() => decodeStoredDict(encodeRecord({ slot: 1, dataClass: 'quote', identifier: 'x', hash: hashOf(1) }))).toThrow(
      expect.objectContaining({ code: 'CORRUPTED', message: expect.stringContaining('dataClass') }),
    );
    const manifest = { ...newMarkerManifest('r', [], false), status: 'Paused' };
    expect(() => decodeMarkerManifest(encodeRecord(manifest))).toThrow(
      expect.objectContaining({ code: 'CORRUPTED', message: expect.stringContaining('status') }),
    );
  });
});
