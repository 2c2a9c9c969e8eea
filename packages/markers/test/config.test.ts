import { describe, expect, it } from 'vitest';
import { resolveDataMarkerConfig } from '../src/config.js';

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
    expect(() => resolveDataMarkerConfig({ classes: ['quote' as never] })).toThrow(RangeError);
    expect(() => resolveDataMarkerConfig({ channelCapacity: -1 })).toThrow(RangeError);
    expect(() => resolveDataMarkerConfig({ channelCapacity: -1 })).toThrow(
      expect.objectContaining({ constructor: RangeError, message: expect.stringContaining('dataMarkers.channelCapacity') }),
    );
    expect(() => resolveDataMarkerConfig({ highFidelity: [''] })).toThrow(TypeError);
    expect(() => resolveDataMarkerConfig({ highFidelity: [''] })).toThrow(
      expect.objectContaining({ constructor: TypeError, message: expect.stringContaining('dataMarkers.highFidelity') }),
    );
  });
});
