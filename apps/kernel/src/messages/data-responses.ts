/** Responses of the data engine, delivered by correlation id to whoever sent the request. */
import type { Bar } from './market-data.js';

/** An instrument's definition as plain data. */
export interface InstrumentDefinition {
  instrumentId: string;
  symbol: string;
  venue: string;
  currency: string;
  pricePrecision: number;
  /** Minor units per tick. */
  tickSize: bigint;
  lotSize: bigint;
  makerFeeBasisPoints: bigint;
  takerFeeBasisPoints: bigint;
}

export class InstrumentResponse {
  static readonly payloadType = 'InstrumentResponse';
  constructor(
    readonly responseId: string,
    readonly correlationId: string,
    readonly clientId: string,
    readonly instrument: InstrumentDefinition,
    readonly tsInit: bigint,
  ) {}
}

export class BarsResponse {
  static readonly payloadType = 'BarsResponse';
  constructor(
    readonly responseId: string,
    readonly correlationId: string,
    readonly clientId: string,
    readonly instrumentId: string,
    readonly bars: Bar[],
    readonly tsInit: bigint,
  ) {}
}
