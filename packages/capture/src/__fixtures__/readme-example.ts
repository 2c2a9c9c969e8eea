/** The README's example, kept here so the type check proves it compiles. */
import { INDEX_KIND_CLIENT_ORDER_ID, INDEX_KIND_VENUE_ORDER_ID, RealtimeClock } from '@tapelog/core';
import { BusCaptureAdapter, EncoderRegistry, SubmitCounter, createEventStoreTap, msgpackEncoder, type DraftSink, type TapHost } from '../index.js';

export class OrderFilled {
  constructor(
    readonly eventId: string,
    readonly clientOrderId: string,
    readonly venueOrderId: string,
    readonly lastQuantity: bigint,
  ) {}
}

export class OrderEvent {
  constructor(readonly inner: OrderFilled) {}
}

export function installCapture(writer: DraftSink, bus: TapHost): BusCaptureAdapter {
  // --- README example starts ---
  const registry = new EncoderRegistry();
  registry.register(
    OrderFilled,
    'OrderFilled',
    msgpackEncoder<OrderFilled>({
      indexKeys: (event) => [
        { kind: INDEX_KIND_CLIENT_ORDER_ID, key: event.clientOrderId },
        { kind: INDEX_KIND_VENUE_ORDER_ID, key: event.venueOrderId },
      ],
    }),
    { identity: (event) => event.eventId },
  );
  registry.registerEnvelope(OrderEvent, (envelope) => envelope.inner);

  const submitCounter = new SubmitCounter(1); // RunStarted was submitted outside the adapter
  const adapter = new BusCaptureAdapter(writer, registry, (reason) => console.error('halt', reason), { submitCounter });
  bus.setTap(createEventStoreTap({ adapter, clock: new RealtimeClock() }));
  // --- README example ends ---
  return adapter;
}
