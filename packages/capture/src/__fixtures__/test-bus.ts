/**
 * A minimal message bus implementing TapHost, as a kernel's would: every dispatch calls the tap
 * first, then the handlers. It catches nothing from handlers; the tap alone must never throw.
 */
import type { BusTap, TapHost } from '../bus-tap.js';

type Handler = (message: unknown) => void;

export class TestBus implements TapHost {
  #tap: BusTap | undefined;
  readonly #subscribers = new Map<string, Handler[]>();
  readonly #endpoints = new Map<string, Handler>();
  readonly #responseHandlers = new Map<string, Handler>();

  setTap(tap: BusTap): void {
    this.#tap = tap;
  }

  clearTap(): void {
    this.#tap = undefined;
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
    this.#tap?.onPublish(topic, message);
    for (const handler of this.#subscribers.get(topic) ?? []) handler(message);
  }

  send(endpoint: string, message: unknown): void {
    this.#tap?.onSend(endpoint, message);
    this.#endpoints.get(endpoint)?.(message);
  }

  respond(correlationId: string, message: unknown): void {
    this.#tap?.onResponse(correlationId, message);
    const handler = this.#responseHandlers.get(correlationId);
    this.#responseHandlers.delete(correlationId);
    handler?.(message);
  }

  fireTimer(event: unknown, callback: Handler): void {
    this.#tap?.onTimer(event);
    callback(event);
  }
}
