/**
 * A restart must trade every instrument its restored cache holds positions or open orders in:
 * otherwise those positions cannot be marked and those orders cannot be managed. The kernel
 * refuses such a restore before opening a run, naming the instruments and the setting that fits.
 */
import type { KernelCache } from './cache.js';
import { INSTRUMENT_CATALOG, type Instrument } from './domain/instruments.js';

export class UncoveredInstrumentsError extends Error {
  readonly instrumentIds: readonly string[];
  constructor(message: string, instrumentIds: readonly string[]) {
    super(message);
    this.name = 'UncoveredInstrumentsError';
    this.instrumentIds = instrumentIds;
  }
}

/** The instruments the cache holds positions or open orders in that `traded` does not include, sorted. */
export function uncoveredInstruments(cache: KernelCache, traded: readonly Instrument[]): string[] {
  const tradedIds = new Set(traded.map((instrument) => instrument.instrumentId));
  const held = new Set<string>();
  for (const position of cache.positions()) held.add(position.instrumentId);
  for (const order of cache.openOrders()) held.add(order.instrumentId);
  return [...held].filter((instrumentId) => !tradedIds.has(instrumentId)).sort();
}

/** Throws UncoveredInstrumentsError when the restored cache needs instruments `traded` lacks. */
export function assertInstrumentsCovered(cache: KernelCache, traded: readonly Instrument[], sourceRunId: string): void {
  const missing = uncoveredInstruments(cache, traded);
  if (missing.length === 0) return;
  const needed = Math.max(...missing.map((instrumentId) => INSTRUMENT_CATALOG.findIndex((instrument) => instrument.instrumentId === instrumentId) + 1));
  const hint = needed > 0 ? `restart with --instruments ${needed} or more` : 'these instruments are not in the catalogue';
  throw new UncoveredInstrumentsError(
    `run ${sourceRunId} holds positions or open orders in ${missing.join(', ')}, which --instruments ${traded.length} does not trade; ${hint}`,
    missing,
  );
}
