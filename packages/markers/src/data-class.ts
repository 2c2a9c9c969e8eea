/**
 * The five market-data stream classes a marker slot can carry, with their canonical names
 * (hashed by name in dictionary hashes) and their stable indices (stored, and order-significant).
 */

/** A market-data stream class, named exactly as upstream names it. */
export type DataClass = 'BookDeltas' | 'BookDepth10' | 'Quote' | 'Trade' | 'Bar';

/** Every class in canonical order; the index of a class in this list is its stable index. */
export const DATA_CLASSES: readonly DataClass[] = Object.freeze(['BookDeltas', 'BookDepth10', 'Quote', 'Trade', 'Bar']);

/** True for exactly the five canonical names (case-sensitive). */
export function isDataClass(value: unknown): value is DataClass {
  return typeof value === 'string' && (DATA_CLASSES as readonly string[]).includes(value);
}

/**
 * Parses a canonical class name. Matching is exact and case-sensitive, so `quote` or `Quotes`
 * are configuration mistakes, reported as a RangeError that quotes the input.
 */
export function parseDataClass(text: string): DataClass {
  if (isDataClass(text)) return text;
  throw new RangeError(`unknown DataClass, was \`${text}\`; expected one of ${DATA_CLASSES.join(', ')}`);
}
