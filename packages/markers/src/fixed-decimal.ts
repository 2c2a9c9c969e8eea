/**
 * Fixed-point decimals as fingerprints see them: the decimal mantissa at the value's declared
 * precision ("3000.12" → 300012 at precision 2), independent of how a kernel stores prices.
 */

export interface FixedDecimal {
  /** The mantissa at `precision` decimal places (may be negative for prices). */
  raw: bigint;
  /** Declared decimal places, 0..255. */
  precision: number;
}

/** Parses plain decimal text such as `"3000.12"` or `"-0.5"`; the precision is the digits after the point. */
export function decimalFromString(text: string): FixedDecimal {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`not a plain decimal number: ${JSON.stringify(text)}`);
  const fraction = match[3] ?? '';
  const mantissa = BigInt(match[2]! + fraction);
  return { raw: match[1] === '-' ? -mantissa : mantissa, precision: fraction.length };
}

/**
 * Rescales a fixed-point raw value held at `fixedPrecision` decimal places (a kernel's internal
 * scale) to its declared precision, truncating toward zero, as upstream does; a declared
 * precision at or above the fixed scale keeps the raw value.
 */
export function rawAtPrecision(raw: bigint, precision: number, fixedPrecision: number): bigint {
  const exponent = fixedPrecision - precision;
  if (exponent <= 0) return raw;
  return raw / 10n ** BigInt(exponent);
}
