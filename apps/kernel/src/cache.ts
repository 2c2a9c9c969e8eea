/**
 * The kernel's cache of trading state (orders, positions, account balances) and the one place
 * that state changes. Live, every state-affecting message is applied once, by its owner, at its
 * first dispatch; on restore, the same `apply` runs over the decoded payloads of a sealed run's
 * entries, so a restored cache equals the live one. Snapshots are deterministic bytes.
 */
import { decodeMsgpackPayload } from '@tapelog/capture';
import type { EventStoreEntry } from '@tapelog/core';
import type { AccountBalance } from './messages/account-state.js';
import { payloadTypeOf } from './messages/catalog.js';
import { type OrderSide, type OrderStatus, type OrderType, type PositionSide, TERMINAL_ORDER_STATUSES, type TimeInForce } from './messages/vocabulary.js';
import { mapWithEncodedArray, RecordEncodings } from './snapshot-encoding.js';

export interface OrderRecord {
  clientOrderId: string;
  strategyId: string;
  instrumentId: string;
  side: OrderSide;
  orderType: OrderType;
  timeInForce: TimeInForce;
  quantity: bigint;
  price: bigint | undefined;
  status: OrderStatus;
  venueOrderId: string | undefined;
  filledQuantity: bigint;
  /** Σ price × quantity of the fills, minor units. */
  filledNotional: bigint;
  commissions: bigint;
  /** The strategy intent this order belongs to. */
  correlationId: string;
  /** The SubmitOrder that created it: the cause of venue events about it. */
  submitCommandId: string;
  tsLastEvent: bigint;
}

export interface PositionRecord {
  positionId: string;
  strategyId: string;
  instrumentId: string;
  openingOrderId: string;
  closingOrderId: string | undefined;
  side: PositionSide;
  quantity: bigint;
  costBasis: bigint;
  realizedPnl: bigint;
  lastPrice: bigint;
  tsLastEvent: bigint;
}

export interface AccountRecord {
  accountId: string;
  baseCurrency: string;
  balances: AccountBalance[];
  tsLastEvent: bigint;
}

/** The fields of a message or a decoded payload, read by name. */
type Fields = Record<string, unknown>;

const SNAPSHOT_FORMAT = 'tapelog-kernel-cache/v1';

export function positionIdOf(strategyId: string, instrumentId: string): string {
  return `${instrumentId}-${strategyId}`;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function optionalBigint(value: unknown): bigint | undefined {
  return typeof value === 'bigint' ? value : undefined;
}

function byKey<T>(key: (item: T) => string): (left: T, right: T) => number {
  return (left, right) => (key(left) < key(right) ? -1 : key(left) > key(right) ? 1 : 0);
}

/** Records in a fixed key order with absent optionals left out: equal state, equal bytes. */
function orderForSnapshot(order: OrderRecord): Fields {
  const fields: Fields = {
    clientOrderId: order.clientOrderId,
    strategyId: order.strategyId,
    instrumentId: order.instrumentId,
    side: order.side,
    orderType: order.orderType,
    timeInForce: order.timeInForce,
    quantity: order.quantity,
    status: order.status,
    filledQuantity: order.filledQuantity,
    filledNotional: order.filledNotional,
    commissions: order.commissions,
    correlationId: order.correlationId,
    submitCommandId: order.submitCommandId,
    tsLastEvent: order.tsLastEvent,
  };
  if (order.price !== undefined) fields.price = order.price;
  if (order.venueOrderId !== undefined) fields.venueOrderId = order.venueOrderId;
  return fields;
}

/** Every field of an order record, all of which `orderForSnapshot` reads. */
const ORDER_FIELDS: ReadonlyArray<keyof OrderRecord> = [
  'clientOrderId',
  'strategyId',
  'instrumentId',
  'side',
  'orderType',
  'timeInForce',
  'quantity',
  'price',
  'status',
  'venueOrderId',
  'filledQuantity',
  'filledNotional',
  'commissions',
  'correlationId',
  'submitCommandId',
  'tsLastEvent',
];

function positionForSnapshot(position: PositionRecord): Fields {
  const fields: Fields = {
    positionId: position.positionId,
    strategyId: position.strategyId,
    instrumentId: position.instrumentId,
    openingOrderId: position.openingOrderId,
    side: position.side,
    quantity: position.quantity,
    costBasis: position.costBasis,
    realizedPnl: position.realizedPnl,
    lastPrice: position.lastPrice,
    tsLastEvent: position.tsLastEvent,
  };
  if (position.closingOrderId !== undefined) fields.closingOrderId = position.closingOrderId;
  return fields;
}

function accountForSnapshot(account: AccountRecord): Fields {
  return {
    accountId: account.accountId,
    baseCurrency: account.baseCurrency,
    balances: account.balances.map((balance) => ({ currency: balance.currency, total: balance.total, locked: balance.locked, free: balance.free })),
    tsLastEvent: account.tsLastEvent,
  };
}

function orderFromSnapshot(fields: Fields): OrderRecord {
  return {
    clientOrderId: fields.clientOrderId as string,
    strategyId: fields.strategyId as string,
    instrumentId: fields.instrumentId as string,
    side: fields.side as OrderSide,
    orderType: fields.orderType as OrderType,
    timeInForce: fields.timeInForce as TimeInForce,
    quantity: fields.quantity as bigint,
    price: optionalBigint(fields.price),
    status: fields.status as OrderStatus,
    venueOrderId: optionalString(fields.venueOrderId),
    filledQuantity: fields.filledQuantity as bigint,
    filledNotional: fields.filledNotional as bigint,
    commissions: fields.commissions as bigint,
    correlationId: fields.correlationId as string,
    submitCommandId: fields.submitCommandId as string,
    tsLastEvent: fields.tsLastEvent as bigint,
  };
}

function positionFromFields(fields: Fields, tsLastEvent: bigint): PositionRecord {
  return {
    positionId: fields.positionId as string,
    strategyId: fields.strategyId as string,
    instrumentId: fields.instrumentId as string,
    openingOrderId: fields.openingOrderId as string,
    closingOrderId: optionalString(fields.closingOrderId),
    side: fields.side as PositionSide,
    quantity: fields.quantity as bigint,
    costBasis: fields.costBasis as bigint,
    realizedPnl: fields.realizedPnl as bigint,
    lastPrice: fields.lastPrice as bigint,
    tsLastEvent,
  };
}

function balancesFrom(value: unknown): AccountBalance[] {
  return (value as Fields[]).map((balance) => ({
    currency: balance.currency as string,
    total: balance.total as bigint,
    locked: balance.locked as bigint,
    free: balance.free as bigint,
  }));
}

export class KernelCache {
  readonly #orders = new Map<string, OrderRecord>();
  /** The orders not yet in a terminal status: what strategies and risk look at on every tick. */
  readonly #openOrders = new Map<string, OrderRecord>();
  readonly #positions = new Map<string, PositionRecord>();
  readonly #accounts = new Map<string, AccountRecord>();
  /** Orders change rarely once closed: their snapshot bytes are reused until a field changes. */
  readonly #encodedOrders = new RecordEncodings<OrderRecord>(ORDER_FIELDS, orderForSnapshot);
  #lastTsInit = 0n;
  #fills = 0;

  /** Applies a live kernel message; returns whether it changed state. */
  applyMessage(message: object): boolean {
    const payloadType = payloadTypeOf(message);
    if (payloadType === undefined) throw new TypeError('not a kernel message: it names no payload type');
    return this.apply(payloadType, message as Fields);
  }

  /** Applies one captured entry of a sealed run (the restore path). */
  applyEntry(entry: EventStoreEntry): boolean {
    if (!APPLIERS.has(entry.payloadType)) return false;
    const fields = decodeMsgpackPayload(entry.payload);
    if (typeof fields !== 'object' || fields === null) {
      throw new TypeError(`entry ${entry.seq} (${entry.payloadType}) has a payload that is not a map`);
    }
    return this.apply(entry.payloadType, fields as Fields);
  }

  /** The single state transition function, shared by the live path and the restore path. */
  apply(payloadType: string, fields: Fields): boolean {
    const applier = APPLIERS.get(payloadType);
    if (applier === undefined) return false;
    const changed = applier(this, fields);
    if (changed) {
      const tsInit = fields.tsInit as bigint;
      if (tsInit > this.#lastTsInit) this.#lastTsInit = tsInit;
    }
    return changed;
  }

  // --- queries -------------------------------------------------------------------------------

  order(clientOrderId: string): OrderRecord | undefined {
    return this.#orders.get(clientOrderId);
  }

  orders(): IterableIterator<OrderRecord> {
    return this.#orders.values();
  }

  orderIds(): IterableIterator<string> {
    return this.#orders.keys();
  }

  openOrders(): IterableIterator<OrderRecord> {
    return this.#openOrders.values();
  }

  /** Open orders of one strategy in one instrument, in the order they were created. */
  openOrdersOf(strategyId: string, instrumentId: string): OrderRecord[] {
    const found: OrderRecord[] = [];
    for (const order of this.#openOrders.values()) {
      if (order.strategyId === strategyId && order.instrumentId === instrumentId) found.push(order);
    }
    return found;
  }

  position(strategyId: string, instrumentId: string): PositionRecord | undefined {
    return this.#positions.get(positionIdOf(strategyId, instrumentId));
  }

  positions(): IterableIterator<PositionRecord> {
    return this.#positions.values();
  }

  account(accountId: string): AccountRecord | undefined {
    return this.#accounts.get(accountId);
  }

  get orderCount(): number {
    return this.#orders.size;
  }

  get openOrderCount(): number {
    return this.#openOrders.size;
  }

  get fillCount(): number {
    return this.#fills;
  }

  /** The latest `tsInit` among the messages that changed state. */
  get lastTsInit(): bigint {
    return this.#lastTsInit;
  }

  get isEmpty(): boolean {
    return this.#orders.size === 0 && this.#positions.size === 0 && this.#accounts.size === 0;
  }

  // --- snapshots -----------------------------------------------------------------------------

  /** The whole state as deterministic bytes: records sorted by id, fields in a fixed order. */
  snapshot(): Uint8Array {
    const orders = [...this.#orders.values()].sort(byKey((order) => order.clientOrderId));
    const encodedOrders = orders.map((order) => this.#encodedOrders.bytesOf(order.clientOrderId, order));
    const positions = [...this.#positions.values()].sort(byKey((position) => position.positionId)).map(positionForSnapshot);
    const accounts = [...this.#accounts.values()].sort(byKey((account) => account.accountId)).map(accountForSnapshot);
    return mapWithEncodedArray({ format: SNAPSHOT_FORMAT, lastTsInit: this.#lastTsInit, fills: this.#fills }, 'orders', encodedOrders, { positions, accounts });
  }

  /** Replaces the whole state with a snapshot's. */
  restoreSnapshot(blob: Uint8Array): void {
    const decoded = decodeMsgpackPayload(blob) as Fields | null;
    if (typeof decoded !== 'object' || decoded === null || decoded.format !== SNAPSHOT_FORMAT) {
      throw new TypeError(`not a kernel cache snapshot (expected format ${SNAPSHOT_FORMAT})`);
    }
    this.#orders.clear();
    this.#encodedOrders.clear();
    this.#openOrders.clear();
    this.#positions.clear();
    this.#accounts.clear();
    for (const fields of decoded.orders as Fields[]) this.#putOrder(orderFromSnapshot(fields));
    for (const fields of decoded.positions as Fields[]) {
      const position = positionFromFields(fields, fields.tsLastEvent as bigint);
      this.#positions.set(position.positionId, position);
    }
    for (const fields of decoded.accounts as Fields[]) {
      const account: AccountRecord = {
        accountId: fields.accountId as string,
        baseCurrency: fields.baseCurrency as string,
        balances: balancesFrom(fields.balances),
        tsLastEvent: fields.tsLastEvent as bigint,
      };
      this.#accounts.set(account.accountId, account);
    }
    this.#lastTsInit = decoded.lastTsInit as bigint;
    this.#fills = decoded.fills as number;
  }

  // --- transitions (called by the appliers below) ----------------------------------------------

  /** @internal */
  putOrder(order: OrderRecord): boolean {
    if (this.#orders.has(order.clientOrderId)) return false;
    this.#putOrder(order);
    return true;
  }

  /** @internal Updates an existing order; false when the order is unknown. */
  updateOrder(clientOrderId: string, tsInit: bigint, change: (order: OrderRecord) => void): boolean {
    const order = this.#orders.get(clientOrderId);
    if (order === undefined) return false;
    change(order);
    order.tsLastEvent = tsInit;
    if (TERMINAL_ORDER_STATUSES.has(order.status)) this.#openOrders.delete(clientOrderId);
    return true;
  }

  /** @internal */
  countFill(): void {
    this.#fills++;
  }

  /** @internal */
  putPosition(position: PositionRecord): void {
    this.#positions.set(position.positionId, position);
  }

  /** @internal */
  putAccount(account: AccountRecord): void {
    this.#accounts.set(account.accountId, account);
  }

  #putOrder(order: OrderRecord): void {
    this.#orders.set(order.clientOrderId, order);
    if (TERMINAL_ORDER_STATUSES.has(order.status)) this.#openOrders.delete(order.clientOrderId);
    else this.#openOrders.set(order.clientOrderId, order);
  }
}

type Applier = (cache: KernelCache, fields: Fields) => boolean;

function setStatus(status: OrderStatus): Applier {
  return (cache, fields) =>
    cache.updateOrder(fields.clientOrderId as string, fields.tsInit as bigint, (order) => {
      order.status = status;
    });
}

/**
 * How each payload type changes the cache. Commands other than SubmitOrder, rejections of
 * modifies and cancels, reports, timers and data messages change nothing: they are recorded for
 * audit and causality, not for state.
 */
const APPLIERS: ReadonlyMap<string, Applier> = new Map<string, Applier>([
  [
    'SubmitOrder',
    (cache, fields) =>
      cache.putOrder({
        clientOrderId: fields.clientOrderId as string,
        strategyId: fields.strategyId as string,
        instrumentId: fields.instrumentId as string,
        side: fields.side as OrderSide,
        orderType: fields.orderType as OrderType,
        timeInForce: fields.timeInForce as TimeInForce,
        quantity: fields.quantity as bigint,
        price: optionalBigint(fields.price),
        status: 'INITIALIZED',
        venueOrderId: undefined,
        filledQuantity: 0n,
        filledNotional: 0n,
        commissions: 0n,
        correlationId: fields.correlationId as string,
        submitCommandId: fields.commandId as string,
        tsLastEvent: fields.tsInit as bigint,
      }),
  ],
  ['OrderDenied', setStatus('DENIED')],
  ['OrderSubmitted', setStatus('SUBMITTED')],
  [
    'OrderAccepted',
    (cache, fields) =>
      cache.updateOrder(fields.clientOrderId as string, fields.tsInit as bigint, (order) => {
        order.status = 'ACCEPTED';
        order.venueOrderId = fields.venueOrderId as string;
      }),
  ],
  ['OrderRejected', setStatus('REJECTED')],
  ['OrderCanceled', setStatus('CANCELED')],
  [
    'OrderUpdated',
    (cache, fields) =>
      cache.updateOrder(fields.clientOrderId as string, fields.tsInit as bigint, (order) => {
        order.quantity = fields.quantity as bigint;
        const price = optionalBigint(fields.price);
        if (price !== undefined) order.price = price;
        if (order.filledQuantity >= order.quantity) order.status = 'FILLED';
      }),
  ],
  [
    'OrderFilled',
    (cache, fields) => {
      const changed = cache.updateOrder(fields.clientOrderId as string, fields.tsInit as bigint, (order) => {
        const quantity = fields.lastQuantity as bigint;
        order.venueOrderId ??= fields.venueOrderId as string;
        order.filledQuantity += quantity;
        order.filledNotional += quantity * (fields.lastPrice as bigint);
        order.commissions += fields.commission as bigint;
        order.status = order.filledQuantity >= order.quantity ? 'FILLED' : 'PARTIALLY_FILLED';
      });
      if (changed) cache.countFill();
      return changed;
    },
  ],
  ...(['PositionOpened', 'PositionChanged', 'PositionClosed'] as const).map((payloadType): [string, Applier] => [
    payloadType,
    (cache, fields) => {
      cache.putPosition(positionFromFields(fields, fields.tsInit as bigint));
      return true;
    },
  ]),
  [
    'AccountState',
    (cache, fields) => {
      cache.putAccount({
        accountId: fields.accountId as string,
        baseCurrency: fields.baseCurrency as string,
        balances: balancesFrom(fields.balances),
        tsLastEvent: fields.tsInit as bigint,
      });
      return true;
    },
  ],
]);

/** The payload types that change the cache when applied. */
export const STATE_CHANGING_PAYLOAD_TYPES: readonly string[] = [...APPLIERS.keys()];
