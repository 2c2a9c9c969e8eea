/**
 * The instruments the simulated venue lists: US-equity-like names quoted in USD cents, integer
 * share quantities. `--instruments n` trades the first n of them.
 */
import type { InstrumentDefinition } from '../messages/data-responses.js';

export const VENUE = 'SIM';
export const ACCOUNT_ID = 'SIM-001';
export const ACCOUNT_CURRENCY = 'USD';
export const CLIENT_ID = 'SIM';

export interface Instrument extends InstrumentDefinition {
  /** Where the simulated market starts, in minor units. */
  readonly initialPrice: bigint;
}

function listed(symbol: string, initialPrice: bigint): Instrument {
  return {
    instrumentId: `${symbol}.${VENUE}`,
    symbol,
    venue: VENUE,
    currency: ACCOUNT_CURRENCY,
    pricePrecision: 2,
    tickSize: 1n,
    lotSize: 1n,
    makerFeeBasisPoints: 1n,
    takerFeeBasisPoints: 3n,
    initialPrice,
  };
}

export const INSTRUMENT_CATALOG: readonly Instrument[] = [
  listed('AAPL', 19_050n),
  listed('MSFT', 42_010n),
  listed('NVDA', 12_075n),
  listed('AMZN', 18_530n),
  listed('GOOG', 17_120n),
  listed('META', 50_240n),
  listed('TSLA', 24_860n),
  listed('NFLX', 68_990n),
];

/** The first `count` instruments of the catalogue. */
export function selectInstruments(count: number): Instrument[] {
  if (!Number.isInteger(count) || count < 1 || count > INSTRUMENT_CATALOG.length) {
    throw new RangeError(`--instruments must be an integer from 1 to ${INSTRUMENT_CATALOG.length}, got ${count}`);
  }
  return INSTRUMENT_CATALOG.slice(0, count);
}

/** The plain definition sent in instrument responses (without simulation-only fields). */
export function definitionOf(instrument: Instrument): InstrumentDefinition {
  const { initialPrice: _initialPrice, ...definition } = instrument;
  return definition;
}
