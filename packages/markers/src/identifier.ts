/**
 * Identifier strings as upstream renders them, for kernels whose ids are not already
 * strings: an instrument id is `{symbol}.{venue}`, a bar type
 * `{instrumentId}-{step}-{aggregation}-{priceType}-{source}` (composite: plus `@{step}-{aggregation}-{source}`).
 */

export function instrumentIdString(symbol: string, venue: string): string {
  return `${symbol}.${venue}`;
}

export interface BarSpecification {
  step: number;
  /** For example `MINUTE`, `TICK`. */
  aggregation: string;
}

export interface BarTypeParts extends BarSpecification {
  instrumentId: string;
  /** For example `LAST`, `BID`, `MID`. */
  priceType: string;
  /** `EXTERNAL` or `INTERNAL`. */
  source: string;
  /** For composite bar types: the specification the bars are aggregated from. */
  composite?: BarSpecification & { source: string };
}

export function barTypeString(parts: BarTypeParts): string {
  const standard = `${parts.instrumentId}-${parts.step}-${parts.aggregation}-${parts.priceType}-${parts.source}`;
  if (parts.composite === undefined) return standard;
  return `${standard}@${parts.composite.step}-${parts.composite.aggregation}-${parts.composite.source}`;
}
