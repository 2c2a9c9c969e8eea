/**
 * Every message class the kernel can put on its bus, each marked state-affecting or not. The
 * encoder registry is built from this list, and the audit test holds the two against each other:
 * a new message class must be listed here, and a state-affecting one must be registered.
 */
import { AccountState } from './account-state.js';
import { CancelAllOrders, CancelOrder, ModifyOrder, QueryAccount, SubmitOrder } from './commands.js';
import { RequestData, SubscribeData, UnsubscribeData } from './data-commands.js';
import { BarsResponse, InstrumentResponse } from './data-responses.js';
import { Bar, OrderBookDeltas, QuoteTick, TradeTick } from './market-data.js';
import {
  OrderAccepted,
  OrderCanceled,
  OrderCancelRejected,
  OrderDenied,
  OrderFilled,
  OrderModifyRejected,
  OrderRejected,
  OrderSubmitted,
  OrderUpdated,
} from './order-events.js';
import { PositionChanged, PositionClosed, PositionOpened } from './position-events.js';
import { TimeEvent } from './time-event.js';
import { FillReport, OrderStatusReport } from './venue-reports.js';

/** A message class: constructible, and naming the payload type its entries are stored under. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KernelMessageClass = (abstract new (...args: never[]) => object) & { readonly payloadType: string };

export type MessageCategory =
  | 'trading-command'
  | 'order-event'
  | 'position-event'
  | 'account-event'
  | 'venue-report'
  | 'timer'
  | 'data-command'
  | 'data-response'
  | 'market-data';

export interface MessageCatalogEntry {
  readonly messageClass: KernelMessageClass;
  readonly category: MessageCategory;
  /** Whether replaying it matters for state: state-affecting messages must be captured. */
  readonly stateAffecting: boolean;
}

function entry(messageClass: KernelMessageClass, category: MessageCategory): MessageCatalogEntry {
  return { messageClass, category, stateAffecting: category !== 'market-data' };
}

export const KERNEL_MESSAGE_CATALOG: readonly MessageCatalogEntry[] = [
  entry(SubmitOrder, 'trading-command'),
  entry(ModifyOrder, 'trading-command'),
  entry(CancelOrder, 'trading-command'),
  entry(CancelAllOrders, 'trading-command'),
  entry(QueryAccount, 'trading-command'),
  entry(OrderDenied, 'order-event'),
  entry(OrderSubmitted, 'order-event'),
  entry(OrderAccepted, 'order-event'),
  entry(OrderRejected, 'order-event'),
  entry(OrderUpdated, 'order-event'),
  entry(OrderModifyRejected, 'order-event'),
  entry(OrderCanceled, 'order-event'),
  entry(OrderCancelRejected, 'order-event'),
  entry(OrderFilled, 'order-event'),
  entry(PositionOpened, 'position-event'),
  entry(PositionChanged, 'position-event'),
  entry(PositionClosed, 'position-event'),
  entry(AccountState, 'account-event'),
  entry(OrderStatusReport, 'venue-report'),
  entry(FillReport, 'venue-report'),
  entry(TimeEvent, 'timer'),
  entry(SubscribeData, 'data-command'),
  entry(UnsubscribeData, 'data-command'),
  entry(RequestData, 'data-command'),
  entry(InstrumentResponse, 'data-response'),
  entry(BarsResponse, 'data-response'),
  entry(QuoteTick, 'market-data'),
  entry(TradeTick, 'market-data'),
  entry(OrderBookDeltas, 'market-data'),
  entry(Bar, 'market-data'),
];

/** The payload type a kernel message is stored under, or undefined for a foreign object. */
export function payloadTypeOf(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const messageClass = (message as { constructor?: { payloadType?: unknown } }).constructor;
  const payloadType = messageClass?.payloadType;
  return typeof payloadType === 'string' ? payloadType : undefined;
}
