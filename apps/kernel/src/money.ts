/**
 * Exact money arithmetic: amounts and prices are bigint minor units (cents), so a day of fills
 * never drifts the way binary floating point would. Division rounds half away from zero.
 */

/** `numerator / denominator`, rounded half away from zero. */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const absoluteNumerator = numerator < 0n ? -numerator : numerator;
  const absoluteDenominator = denominator < 0n ? -denominator : denominator;
  const quotient = (absoluteNumerator * 2n + absoluteDenominator) / (absoluteDenominator * 2n);
  return negative ? -quotient : quotient;
}

/** A fee of `basisPoints` (1/100 of a percent) on `notional`, both in minor units. */
export function feeOnNotional(notional: bigint, basisPoints: bigint): bigint {
  return divideRounded(notional * basisPoints, 10_000n);
}

/** `12345n, 2` → `"123.45"`; negative amounts keep their sign. */
export function formatMinorUnits(amount: bigint, precision: number): string {
  const negative = amount < 0n;
  const digits = (negative ? -amount : amount).toString().padStart(precision + 1, '0');
  const whole = digits.slice(0, digits.length - precision);
  const fraction = precision > 0 ? `.${digits.slice(digits.length - precision)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Rounds a price in minor units to the nearest multiple of `tickSize`. */
export function roundToTick(price: bigint, tickSize: bigint): bigint {
  return divideRounded(price, tickSize) * tickSize;
}
