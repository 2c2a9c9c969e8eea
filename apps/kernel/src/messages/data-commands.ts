/** Commands to the data engine: subscribe to and unsubscribe from market data, request data. */
import type { MarketDataType } from './vocabulary.js';

export class SubscribeData {
  static readonly payloadType = 'SubscribeCommand';
  constructor(
    readonly commandId: string,
    readonly correlationId: string | undefined,
    readonly clientId: string,
    readonly dataType: MarketDataType,
    readonly instrumentId: string,
    readonly tsInit: bigint,
  ) {}
}

export class UnsubscribeData {
  static readonly payloadType = 'UnsubscribeCommand';
  constructor(
    readonly commandId: string,
    readonly correlationId: string | undefined,
    readonly clientId: string,
    readonly dataType: MarketDataType,
    readonly instrumentId: string,
    readonly tsInit: bigint,
  ) {}
}

export type RequestDataType = 'instrument' | 'bars';

/** A request: its response echoes `requestId` as its correlation id. */
export class RequestData {
  static readonly payloadType = 'RequestCommand';
  constructor(
    readonly requestId: string,
    readonly clientId: string,
    readonly dataType: RequestDataType,
    readonly instrumentId: string,
    /** How many of the most recent items (bars); absent for an instrument. */
    readonly limit: number | undefined,
    readonly tsInit: bigint,
  ) {}
}
