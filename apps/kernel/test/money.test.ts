import { describe, expect, it } from 'vitest';
import { divideRounded, feeOnNotional, formatMinorUnits, roundToTick } from '../src/money.js';

describe('money', () => {
  it('rounds division half away from zero', () => {
    expect(divideRounded(5n, 2n)).toBe(3n);
    expect(divideRounded(-5n, 2n)).toBe(-3n);
    expect(divideRounded(4n, 3n)).toBe(1n);
    expect(divideRounded(5n, -3n)).toBe(-2n);
    expect(() => divideRounded(1n, 0n)).toThrow(RangeError);
  });

  it('charges fees in basis points of the notional, exactly', () => {
    expect(feeOnNotional(1_905_000n, 3n)).toBe(572n); // 19,050.00 USD at 3 bp = 5.715 → 5.72
    expect(feeOnNotional(0n, 3n)).toBe(0n);
  });

  it('formats minor units with their precision and sign', () => {
    expect(formatMinorUnits(12_345n, 2)).toBe('123.45');
    expect(formatMinorUnits(-5n, 2)).toBe('-0.05');
    expect(formatMinorUnits(7n, 0)).toBe('7');
  });

  it('rounds prices to the tick grid', () => {
    expect(roundToTick(1_003n, 5n)).toBe(1_005n);
    expect(roundToTick(1_002n, 5n)).toBe(1_000n);
  });
});
