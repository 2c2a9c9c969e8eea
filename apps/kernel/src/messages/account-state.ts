/** The account state the venue reports after every balance change and on request. */

export interface AccountBalance {
  currency: string;
  /** Minor units. */
  total: bigint;
  /** Minor units held against working buy orders. */
  locked: bigint;
  free: bigint;
}

export class AccountState {
  static readonly payloadType = 'AccountState';
  constructor(
    readonly eventId: string,
    readonly correlationId: string | undefined,
    readonly causationId: string | undefined,
    readonly accountId: string,
    readonly accountType: 'CASH',
    readonly baseCurrency: string,
    readonly balances: AccountBalance[],
    /** True when reported in answer to a query rather than after a change. */
    readonly reported: boolean,
    readonly tsEvent: bigint,
    readonly tsInit: bigint,
  ) {}
}
