import { toHex } from '@tapelog/core';
import { describe, expect, it } from 'vitest';
import type { DataCursorSnapshot, HiFiMarker, MarkerGap, StreamDictEntry } from '../src/model.js';
import { computeDictHash, computeGapHash, computeHiFiHash, computeMarkerHash } from '../src/record-hash.js';
import { baselineDict, baselineGap, baselineHiFi, baselineSnapshot, PINNED } from './fixtures/reference-fixtures.js';

describe('record hashes reproduce the pinned upstream vectors', () => {
  it('marker (snapshot) hash is deterministic and pinned', () => {
    expect(toHex(computeMarkerHash(baselineSnapshot()))).toBe(PINNED.marker);
    expect(toHex(computeMarkerHash(baselineSnapshot()))).toBe(PINNED.marker);
  });
  it('hifi hash is pinned', () => {
    expect(toHex(computeHiFiHash(baselineHiFi()))).toBe(PINNED.hifi);
  });
  it('dict hash is pinned', () => {
    expect(toHex(computeDictHash(baselineDict()))).toBe(PINNED.dict);
  });
  it('gap hash is pinned', () => {
    expect(toHex(computeGapHash(baselineGap()))).toBe(PINNED.gap);
  });
});

/** One case per mutation of `baseline()`: each must move the record's hash off its pinned value. */
function eachMutationChangesHash<T>(
  kind: string,
  mutations: Record<string, (record: T) => void>,
  baseline: () => T,
  hash: (record: T) => Uint8Array,
  pinned: string,
): void {
  it.each(Object.entries(mutations))(`${kind}: %s`, (_name, mutate) => {
    const record = baseline();
    mutate(record);
    expect(toHex(hash(record))).not.toBe(pinned);
  });
}

describe('every hashed field affects the hash', () => {
  const snapshotMutations: Record<string, (s: DataCursorSnapshot) => void> = {
    markerSeq: (s) => (s.markerSeq += 1),
    eventSeqBefore: (s) => (s.eventSeqBefore += 1),
    tsInit: (s) => (s.tsInit += 1n),
    'cursor slot → 256': (s) => (s.advanced[0]!.slot = 256),
    'cursor tsInitHi': (s) => (s.advanced[0]!.tsInitHi += 1n),
    'cursor count': (s) => (s.advanced[0]!.count += 1),
    'extra cursor': (s) => s.advanced.push({ slot: 2, tsInitHi: 1n, count: 1 }),
    'reversed cursor order': (s) => s.advanced.reverse(),
  };
  eachMutationChangesHash('snapshot', snapshotMutations, baselineSnapshot, computeMarkerHash, PINNED.marker);

  const hifiMutations: Record<string, (m: HiFiMarker) => void> = {
    markerSeq: (m) => (m.markerSeq += 1),
    eventSeqBefore: (m) => (m.eventSeqBefore += 1),
    'slot → 256': (m) => (m.slot = 256),
    tsEvent: (m) => (m.tsEvent += 1n),
    tsInit: (m) => (m.tsInit += 1n),
    'sameTsOrdinal → 256': (m) => (m.sameTsOrdinal = 256),
    'fingerprint bit': (m) => (m.recordFingerprint[31]! ^= 1),
  };
  eachMutationChangesHash('hifi', hifiMutations, baselineHiFi, computeHiFiHash, PINNED.hifi);

  const dictMutations: Record<string, (e: StreamDictEntry) => void> = {
    slot: (e) => (e.slot += 1),
    'dataClass → Trade': (e) => (e.dataClass = 'Trade'),
    identifier: (e) => (e.identifier = 'BTCUSDT.BINANCE'),
  };
  eachMutationChangesHash('dict', dictMutations, baselineDict, computeDictHash, PINNED.dict);

  const gapMutations: Record<string, (g: MarkerGap) => void> = {
    from: (g) => (g.fromMarkerSeq += 1),
    to: (g) => (g.toMarkerSeq += 1),
    'reason → WriterClosed': (g) => (g.reason = 'WriterClosed'),
  };
  eachMutationChangesHash('gap', gapMutations, baselineGap, computeGapHash, PINNED.gap);

  it('an empty cursor list hashes deterministically and differs from the baseline', () => {
    const empty = { ...baselineSnapshot(), advanced: [] };
    const first = toHex(computeMarkerHash(empty));
    expect(first).toBe(toHex(computeMarkerHash(empty)));
    expect(first).not.toBe(PINNED.marker);
  });

  it('rejects a fingerprint that is not 32 bytes', () => {
    expect(() => computeHiFiHash({ ...baselineHiFi(), recordFingerprint: new Uint8Array(31) })).toThrow(RangeError);
  });
});
