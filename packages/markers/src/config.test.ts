import { describe, expect, it } from 'vitest';
import { resolveDataMarkerConfig } from './config.js';

describe('resolveDataMarkerConfig', () => {
  it('fills the upstream defaults', () => {
    expect(resolveDataMarkerConfig()).toEqual({
      classes: ['BookDeltas', 'BookDepth10', 'Quote', 'Trade', 'Bar'],
      highFidelity: [],
      safetyFlushIntervalNs: 1_000_000_000n,
      channelCapacity: 10_000,
      maxBatch: 100,
      maxLatencyMs: 5,
    });
  });
  it('keeps configuration order, converts the interval and clamps zero capacity to one', () => {
    expect(resolveDataMarkerConfig({ classes: ['Trade', 'Quote'], safetyFlushIntervalMs: 0.00001, channelCapacity: 0 })).toMatchObject({
      classes: ['Trade', 'Quote'],
      safetyFlushIntervalNs: 10n,
      channelCapacity: 1,
    });
  });
  it('names the bad field', () => {
    expect(() => resolveDataMarkerConfig({ classes: ['quote' as never] })).toThrow(/unknown DataClass, was `quote`/);
    expect(() => resolveDataMarkerConfig({ channelCapacity: -1 })).toThrow(/dataMarkers.channelCapacity/);
    expect(() => resolveDataMarkerConfig({ highFidelity: [''] })).toThrow(/dataMarkers.highFidelity/);
  });
});
