/** Order messages shaped like a trading kernel's, and the registry the tests build from them. */
import { INDEX_KIND_CLIENT_ORDER_ID, INDEX_KIND_VENUE_ORDER_ID } from '@tapelog/core';
import { msgpackEncoder } from '../msgpack-encoder.js';
import { EncoderRegistry } from '../registry.js';

export const COMMAND_ID = '3f1c2a9e-5b7d-4e21-8c4f-0a1b2c3d4e5f';
export const CORRELATION_ID = '9b2e7c41-0d3a-4f6b-a1c2-d3e4f5a6b7c8';
export const CAUSATION_ID = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
export const EVENT_ID = '7d8e9f0a-1b2c-4d3e-9f4a-5b6c7d8e9f0a';
export const OTHER_EVENT_ID = '0f1e2d3c-4b5a-4978-a6b5-c4d3e2f1a0b9';

export class SubmitOrder {
  constructor(
    readonly commandId: string,
    readonly clientOrderId: string,
    readonly quantity: bigint,
    readonly correlationId?: string,
    readonly causationId?: string,
  ) {}
}

export class OrderFilled {
  constructor(
    readonly eventId: string,
    readonly clientOrderId: string,
    readonly venueOrderId: string,
    readonly lastQuantity: bigint,
    readonly lastPrice: string,
    readonly tsEvent: bigint,
  ) {}
}

/** A subclass is a different type: it must never match the OrderFilled registration. */
export class ExternalOrderFilled extends OrderFilled {}

/** The wrapper the bus hands over on its order-event path. */
export class OrderEventEnvelope {
  constructor(readonly event: unknown) {}
}

/** Market data: never registered, so never captured. */
export class QuoteTick {
  constructor(
    readonly instrumentId: string,
    readonly bid: string,
    readonly ask: string,
  ) {}
}

export class RejectedMessage {}

export function sampleFill(eventId = EVENT_ID, clientOrderId = 'O-1'): OrderFilled {
  return new OrderFilled(eventId, clientOrderId, 'V-9', 100n, '101.25', 1_700_000_000_000_000_123n);
}

export function sampleSubmit(commandId = COMMAND_ID): SubmitOrder {
  return new SubmitOrder(commandId, 'O-1', 100n, CORRELATION_ID, CAUSATION_ID);
}

export const submitOrderEncoder = msgpackEncoder<SubmitOrder>({
  indexKeys: (command) => [{ kind: INDEX_KIND_CLIENT_ORDER_ID, key: command.clientOrderId }],
});

export const orderFilledEncoder = msgpackEncoder<OrderFilled>({
  indexKeys: (event) => [
    { kind: INDEX_KIND_CLIENT_ORDER_ID, key: event.clientOrderId },
    { kind: INDEX_KIND_VENUE_ORDER_ID, key: event.venueOrderId },
  ],
});

/** SubmitOrder and OrderFilled with headers and identities, the envelope, and a failing type. */
export function orderRegistry(): EncoderRegistry {
  const registry = new EncoderRegistry();
  registry.register(SubmitOrder, 'SubmitOrder', submitOrderEncoder, {
    headers: (command) => ({ correlationId: command.correlationId, causationId: command.causationId }),
    identity: (command) => command.commandId,
  });
  registry.register(OrderFilled, 'OrderFilled', orderFilledEncoder, { identity: (event) => event.eventId });
  registry.registerEnvelope(OrderEventEnvelope, (envelope) => envelope.event);
  registry.register(RejectedMessage, 'RejectedMessage', () => {
    throw new Error('encoder rejected message');
  });
  return registry;
}
