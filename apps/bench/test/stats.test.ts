import { describe, expect, test } from 'vitest';
import { median, percentile, perSecond, repeat } from '../src/stats.js';

describe('stats', () => {
  test('median and nearest-rank percentiles of unsorted values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 99)).toBe(100);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 10)).toBe(10);
    expect(percentile([], 50)).toBeNaN();
  });

  test('perSecond turns a count over nanoseconds into a rate', () => {
    expect(perSecond(1_000, 1e9)).toBe(1_000);
    expect(perSecond(500, 250e6)).toBe(2_000);
  });

  test('repeat warms up once and keeps only the measured repetitions', async () => {
    let calls = 0;
    const results = await repeat(3, () => ++calls);
    expect(calls).toBe(4);
    expect(results).toEqual([2, 3, 4]);
  });
});
