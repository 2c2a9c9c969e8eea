/**
 * The kernel's encoder registry: the allow-list of what tapelog captures from the bus. Every
 * state-affecting message class of the catalogue is registered with its payload type, a named-field
 * MessagePack encoder compiled for the class's field list, its index keys, its headers (correlation = the strategy intent, causation =
 * the message that caused it) and its identity (command or event id, which dedups a message seen
 * at several bus boundaries). Market data is left out on purpose.
 */
import { EncoderRegistry, msgpackEncoder } from '@tapelog/capture';
import { type Headers, INDEX_KIND_CLIENT_ORDER_ID, INDEX_KIND_VENUE_ORDER_ID, type IndexKey } from '@tapelog/core';
import { KERNEL_MESSAGE_CATALOG, type MessageCatalogEntry } from './messages/catalog.js';

type Fields = Record<string, unknown>;

const client = (key: string): IndexKey => ({ kind: INDEX_KIND_CLIENT_ORDER_ID, key });
const venue = (key: string): IndexKey => ({ kind: INDEX_KIND_VENUE_ORDER_ID, key });

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** CLIENT(client order id), then VENUE(venue order id) when known: order commands and events. */
function orderKeys(message: Fields): IndexKey[] {
  const keys: IndexKey[] = [];
  if (isText(message.clientOrderId)) keys.push(client(message.clientOrderId));
  if (isText(message.venueOrderId)) keys.push(venue(message.venueOrderId));
  return keys;
}

/** VENUE first, then CLIENT when the venue knows it: the venue's own view, as upstream. */
function reportKeys(message: Fields): IndexKey[] {
  const keys: IndexKey[] = [venue(message.venueOrderId as string)];
  if (isText(message.clientOrderId)) keys.push(client(message.clientOrderId));
  return keys;
}

/** The opening order, then the closing one when it differs. */
function positionKeys(message: Fields): IndexKey[] {
  const keys: IndexKey[] = [client(message.openingOrderId as string)];
  if (isText(message.closingOrderId) && message.closingOrderId !== message.openingOrderId) keys.push(client(message.closingOrderId));
  return keys;
}

function correlationHeaders(message: Fields): Headers {
  const headers: Headers = {};
  if (isText(message.correlationId)) headers.correlationId = message.correlationId;
  if (isText(message.causationId)) headers.causationId = message.causationId;
  return headers;
}

/** A request's entry is correlated by its own request id, which its response echoes. */
function requestHeaders(message: Fields): Headers {
  return { correlationId: message.requestId as string };
}

const commandIdentity = (message: Fields) => message.commandId as string;
const eventIdentity = (message: Fields) => message.eventId as string;

interface Registration {
  indexKeys?: (message: Fields) => IndexKey[];
  headers?: (message: Fields) => Headers;
  identity?: (message: Fields) => string | undefined;
}

/**
 * How each category is captured. Venue reports and timers have no identity on purpose: each
 * dispatch is its own capture point. Market data has no registration at all.
 */
const BY_CATEGORY: Record<MessageCatalogEntry['category'], Registration | undefined> = {
  'trading-command': { indexKeys: orderKeys, headers: correlationHeaders, identity: commandIdentity },
  'order-event': { indexKeys: orderKeys, headers: correlationHeaders, identity: eventIdentity },
  'position-event': { indexKeys: positionKeys, headers: correlationHeaders, identity: eventIdentity },
  'account-event': { headers: correlationHeaders, identity: eventIdentity },
  'venue-report': { indexKeys: reportKeys },
  timer: {},
  'data-command': { headers: correlationHeaders },
  'data-response': { headers: correlationHeaders },
  'market-data': undefined,
};

/** A fresh registry covering every state-affecting message the kernel can emit. */
export function buildKernelRegistry(): EncoderRegistry {
  const registry = new EncoderRegistry();
  for (const { messageClass, category, stateAffecting } of KERNEL_MESSAGE_CATALOG) {
    const registration = BY_CATEGORY[category];
    if (!stateAffecting || registration === undefined) continue;
    // Every kernel message is a class assigning all its fields in its constructor: one shape per
    // class, so each encoder compiles its field list once instead of walking every message.
    const encoderOptions = { fieldNames: 'fixed-shape' as const, ...(registration.indexKeys === undefined ? {} : { indexKeys: registration.indexKeys }) };
    const headers = messageClass.payloadType === 'RequestCommand' ? requestHeaders : registration.headers;
    registry.register<Fields>(messageClass as never, messageClass.payloadType, msgpackEncoder<Fields>(encoderOptions), {
      ...(headers === undefined ? {} : { headers }),
      ...(registration.identity === undefined ? {} : { identity: registration.identity }),
    });
  }
  return registry;
}
