/**
 * A minimal message bus as a kernel's would be: every dispatch calls the capture tap first, then
 * the handlers, and is recorded in `delivered`. It catches nothing from handlers; the tap alone
 * must never throw.
 */

/** The shape of `@tapelog/capture`'s BusTap, repeated here so this package depends on none of ours. */
export interface BusTapLike {
  onPublish(topic: string, message: unknown): void;
  onSend(endpoint: string, message: unknown): void;
  onResponse(correlationId: string, message: unknown): void;
  onTimer(event: unknown): void;
}

type Handler = (message: unknown) => void;

export class TestBus {
  tap: BusTapLike | undefined;
  /** Every dispatch in order: `[topic | endpoint | correlationId | 'timer', message]`. */
  readonly delivered: Array<[string, unknown]> = [];
  readonly #subscribers = new Map<string, Handler[]>();
  readonly #endpoints = new Map<string, Handler>();
  readonly #responseHandlers = new Map<string, Handler>();

  setTap(tap: BusTapLike): void {
    this.tap = tap;
  }

  clearTap(): void {
    this.tap = undefined;
  }

  subscribe(topic: string, handler: Handler): void {
    const handlers = this.#subscribers.get(topic) ?? [];
    handlers.push(handler);
    this.#subscribers.set(topic, handlers);
  }

  register(endpoint: string, handler: Handler): void {
    this.#endpoints.set(endpoint, handler);
  }

  expectResponse(correlationId: string, handler: Handler): void {
    this.#responseHandlers.set(correlationId, handler);
  }

  publish(topic: string, message: unknown): void {
    this.tap?.onPublish(topic, message);
    this.delivered.push([topic, message]);
    for (const handler of this.#subscribers.get(topic) ?? []) handler(message);
  }

  send(endpoint: string, message: unknown): void {
    this.tap?.onSend(endpoint, message);
    this.delivered.push([endpoint, message]);
    this.#endpoints.get(endpoint)?.(message);
  }

  respond(correlationId: string, message: unknown): void {
    this.tap?.onResponse(correlationId, message);
    this.delivered.push([correlationId, message]);
    const handler = this.#responseHandlers.get(correlationId);
    this.#responseHandlers.delete(correlationId);
    handler?.(message);
  }

  fireTimer(event: unknown, callback?: Handler): void {
    this.tap?.onTimer(event);
    this.delivered.push(['timer', event]);
    callback?.(event);
  }
}
