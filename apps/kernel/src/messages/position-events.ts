/**
 * Position events, emitted by the portfolio after each fill. Each carries the whole position as it
 * stands after the fill, so applying the latest event is enough to know the position.
 */
import type { PositionSide } from './vocabulary.js';

abstract class PositionEventBase {
  constructor(
    readonly eventId: string,
    readonly correlationId: string,
    /** The fill that moved the position. */
    readonly causationId: string,
    readonly traderId: string,
    readonly strategyId: string,
    readonly instrumentId: string,
    readonly positionId: string,
    readonly openingOrderId: string,
    readonly closingOrderId: string | undefined,
    readonly side: PositionSide,
    /** Signed: positive long, negative short. */
    readonly quantity: bigint,
    /** Signed cost of the open quantity in minor units; average price = costBasis / quantity. */
    readonly costBasis: bigint,
    /** Minor units, net of commissions. */
    readonly realizedPnl: bigint,
    readonly lastPrice: bigint,
    readonly tsEvent: bigint,
    readonly tsInit: bigint,
  ) {}
}

export class PositionOpened extends PositionEventBase {
  static readonly payloadType = 'PositionOpened';
}

export class PositionChanged extends PositionEventBase {
  static readonly payloadType = 'PositionChanged';
}

export class PositionClosed extends PositionEventBase {
  static readonly payloadType = 'PositionClosed';
}

export type PositionEvent = PositionOpened | PositionChanged | PositionClosed;
