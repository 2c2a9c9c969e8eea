import { describe, expect, it } from 'vitest';
import { CursorState } from '../src/cursor-state.js';

describe('CursorState', () => {
  it('assigns slots lazily by topic and queues each dictionary entry once', () => {
    const state = new CursorState();
    expect(state.advance('data.quotes.ETH', 'Quote', 'ETHUSDT.BINANCE', 1n).slot).toBe(0);
    expect(state.advance('data.trades.BTC', 'Trade', 'BTCUSDT.BINANCE', 1n).slot).toBe(1);
    expect(state.advance('data.quotes.ETH', 'Quote', 'ETHUSDT.BINANCE', 2n).slot).toBe(0);
    expect(state.takeNewDictEntries()).toEqual([
      { slot: 0, dataClass: 'Quote', identifier: 'ETHUSDT.BINANCE' },
      { slot: 1, dataClass: 'Trade', identifier: 'BTCUSDT.BINANCE' },
    ]);
    expect(state.takeNewDictEntries()).toEqual([]);
    expect(state.hasNewDictEntries).toBe(false);
  });

  it('keys slots by topic only: the first identifier seen on a topic names the slot', () => {
    const state = new CursorState();
    state.advance('shared', 'Quote', 'A.X', 1n);
    expect(state.advance('shared', 'Quote', 'B.X', 1n).slot).toBe(0);
    expect(state.takeNewDictEntries()).toEqual([{ slot: 0, dataClass: 'Quote', identifier: 'A.X' }]);
  });

  it('counts records and keeps the highest tsInit (a lower one never lowers it)', () => {
    const state = new CursorState();
    for (const ts of [100n, 200n, 150n]) state.advance('t', 'Quote', 'A', ts);
    expect(state.cursorOf('t')).toEqual({ slot: 0, tsInitHi: 200n, count: 3 });
    expect(state.isDirty).toBe(true);
  });

  it('snapshots only dirty slots, in slot order, and clears them', () => {
    const state = new CursorState();
    state.advance('a', 'Quote', 'A', 10n);
    state.advance('b', 'Quote', 'B', 20n);
    state.advance('c', 'Quote', 'C', 30n);
    expect(state.buildSnapshot(1, 5, 99n)?.advanced.map((cursor) => cursor.slot)).toEqual([0, 1, 2]);
    state.advance('c', 'Quote', 'C', 50n);
    state.advance('a', 'Quote', 'A', 40n);
    expect(state.buildSnapshot(2, 7, 100n)).toEqual({
      markerSeq: 2,
      eventSeqBefore: 7,
      tsInit: 100n,
      advanced: [
        { slot: 0, tsInitHi: 40n, count: 2 },
        { slot: 2, tsInitHi: 50n, count: 2 },
      ],
    });
    expect(state.buildSnapshot(3, 7, 101n)).toBeUndefined();
  });

  it.each([
    ['100,100,100,200,200', [0, 1, 2, 0, 1]],
    ['100,200,100', [0, 0, 0]],
  ])('same-ts ordinals count within contiguous equal-tsInit runs: %s', (timestamps, ordinals) => {
    const state = new CursorState();
    expect(timestamps.split(',').map((ts) => state.advance('t', 'Quote', 'A', BigInt(ts)).ordinal)).toEqual(ordinals);
  });
});
