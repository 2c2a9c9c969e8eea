/**
 * The hook points a kernel's message bus offers to one tap, and the fixed topics the event-store
 * tap records for dispatches that have no topic of their own.
 */

/**
 * Observes every dispatch before any handler sees it. The bus calls exactly one hook per
 * dispatch, before it looks up handlers, even when no handler is registered. A tap returns
 * nothing, cannot veto or delay delivery, must not throw, and must not re-enter the bus.
 */
export interface BusTap {
  /** A message published on `topic`. */
  onPublish(topic: string, message: unknown): void;
  /** A message sent point-to-point to `endpoint`. */
  onSend(endpoint: string, message: unknown): void;
  /** A response delivered to the handler waiting on `correlationId`. */
  onResponse(correlationId: string, message: unknown): void;
  /** A timer event, before its callback runs. */
  onTimer(event: unknown): void;
}

/** Implemented by a kernel's bus: one tap slot, replaced by `setTap`, emptied by `clearTap`. */
export interface TapHost {
  setTap(tap: BusTap): void;
  /** A no-op when no tap is set. */
  clearTap(): void;
}

/** The topic of a captured fired timer. */
export const TIME_EVENT_TOPIC = 'clock.time_event';
/** The topic of a captured response delivered through `onResponse`. */
export const DATA_RESPONSE_TOPIC = 'data.response';
