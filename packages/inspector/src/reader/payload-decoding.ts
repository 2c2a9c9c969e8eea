/**
 * Reading an entry's payload for a person: the run-lifecycle records tapelog writes itself, and
 * every other payload that is valid MessagePack (what the kernel's capture registry writes). A
 * payload that does not decode is shown as bytes: forensics must see exactly those.
 */
import { decodeMsgpackPayload } from '@tapelog/capture';
import { decodeRecord, RUN_ENDED_PAYLOAD_TYPE, RUN_STARTED_PAYLOAD_TYPE } from '@tapelog/core';

export type DecodedPayload = { decoded: true; value: unknown } | { decoded: false };

export function decodePayload(payloadType: string, payload: Uint8Array): DecodedPayload {
  try {
    if (payloadType === RUN_STARTED_PAYLOAD_TYPE) return { decoded: true, value: decodeRecord(payload, 'RunStarted payload') };
    if (payloadType === RUN_ENDED_PAYLOAD_TYPE) return { decoded: true, value: null };
    return { decoded: true, value: decodeMsgpackPayload(payload) };
  } catch {
    return { decoded: false };
  }
}

/** Fields that name an order (clientOrderId, venueOrderId, openingOrderId…): what correlation follows. */
export function isOrderIdField(name: string): boolean {
  return name.endsWith('OrderId') || name === 'orderId';
}

/** Fields that give a message its own id, which later messages name as their causation id. */
export const MESSAGE_ID_FIELDS = ['eventId', 'commandId', 'requestId', 'reportId', 'responseId'] as const;

/** Calls `found` with every string value of an order-id field, at any depth (bounded). */
export function visitOrderIds(value: unknown, found: (key: string) => void, depth = 0): void {
  if (depth > 6 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) visitOrderIds(item, found, depth + 1);
    return;
  }
  for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
    if (typeof item === 'string') {
      if (isOrderIdField(name)) found(item);
    } else if (item !== null && typeof item === 'object') {
      visitOrderIds(item, found, depth + 1);
    }
  }
}
