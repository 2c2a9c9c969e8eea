import { describe, expect, it } from 'vitest';
import { MarkerReader } from '../src/marker-reader.js';
import { MemoryMarkerBackend } from '../src/memory-backend.js';
import { newMarkerManifest } from '../src/model.js';
import { hashOf } from './fixtures/test-support.js';

describe('MarkerReader', () => {
  it('folds cursors up to an event seq and resolves slots through the dictionary', async () => {
    const backend = new MemoryMarkerBackend();
    backend.openRun(newMarkerManifest('r', ['Quote', 'Trade'], false));
    await backend.appendSnapshot({ markerSeq: 1, eventSeqBefore: 5, tsInit: 1n, advanced: [{ slot: 0, tsInitHi: 100n, count: 1 }] }, hashOf(1));
    await backend.appendSnapshot(
      {
        markerSeq: 2,
        eventSeqBefore: 10,
        tsInit: 2n,
        advanced: [
          { slot: 0, tsInitHi: 300n, count: 3 },
          { slot: 1, tsInitHi: 1000n, count: 1 },
        ],
      },
      hashOf(2),
    );
    await backend.appendSnapshot({ markerSeq: 3, eventSeqBefore: 15, tsInit: 3n, advanced: [{ slot: 1, tsInitHi: 2000n, count: 2 }] }, hashOf(3));
    await backend.putDict({ slot: 1, dataClass: 'Trade', identifier: 'BTCUSDT.BINANCE' }, hashOf(4));
    const reader = new MarkerReader(backend);
    expect(await reader.foldTo(10)).toEqual(
      new Map([
        [0, { slot: 0, tsInitHi: 300n, count: 3 }],
        [1, { slot: 1, tsInitHi: 1000n, count: 1 }],
      ]),
    );
    expect((await reader.foldTo(4)).size).toBe(0);
    expect(await reader.resolveSlot(1)).toEqual({ slot: 1, dataClass: 'Trade', identifier: 'BTCUSDT.BINANCE' });
    expect(await reader.resolveSlot(0)).toBeUndefined();
  });
});
