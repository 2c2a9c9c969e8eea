/**
 * The kernel's message bus: publish/subscribe on topics with `*` and `?` patterns, point-to-point
 * sends to named endpoints, and request/response matched by correlation id. It is a capture
 * `TapHost`: the tap sees every dispatch once, before any handler, and can never stop delivery.
 */
import type { BusTap, TapHost } from '@tapelog/capture';

export type MessageHandler = (message: unknown) => void;

interface Subscription {
  readonly pattern: string;
  readonly matcher: RegExp | undefined;
  readonly handler: MessageHandler;
  readonly priority: number;
  /** Subscription order breaks priority ties, so fan-out order is reproducible. */
  readonly order: number;
}

/** How many dispatches of each kind the bus has carried. */
export interface BusCounters {
  published: number;
  sent: number;
  responses: number;
  timers: number;
  /** Tap hooks that threw; the dispatch went ahead regardless. */
  tapFailures: number;
}

function compilePattern(pattern: string): RegExp | undefined {
  if (!pattern.includes('*') && !pattern.includes('?')) return undefined;
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}

export class MessageBus implements TapHost {
  #tap: BusTap | undefined;
  readonly #subscriptions: Subscription[] = [];
  /** Handlers per concrete topic, resolved once and dropped whenever subscriptions change. */
  readonly #resolved = new Map<string, readonly MessageHandler[]>();
  readonly #endpoints = new Map<string, MessageHandler>();
  readonly #pendingResponses = new Map<string, MessageHandler>();
  #subscriptionOrder = 0;
  readonly counters: BusCounters = { published: 0, sent: 0, responses: 0, timers: 0, tapFailures: 0 };

  setTap(tap: BusTap): void {
    this.#tap = tap;
  }

  clearTap(): void {
    this.#tap = undefined;
  }

  /** Total dispatches of every kind. */
  get messageCount(): number {
    const counters = this.counters;
    return counters.published + counters.sent + counters.responses + counters.timers;
  }

  /** Subscribes to a topic or pattern; a higher priority runs first. */
  subscribe(pattern: string, handler: MessageHandler, priority = 0): void {
    if (pattern.length === 0) throw new TypeError('a subscription pattern is non-empty');
    this.#subscriptions.push({ pattern, matcher: compilePattern(pattern), handler, priority, order: this.#subscriptionOrder++ });
    this.#resolved.clear();
  }

  unsubscribe(pattern: string, handler: MessageHandler): void {
    const index = this.#subscriptions.findIndex((subscription) => subscription.pattern === pattern && subscription.handler === handler);
    if (index >= 0) {
      this.#subscriptions.splice(index, 1);
      this.#resolved.clear();
    }
  }

  /** Registers the one handler of a named endpoint. */
  register(endpoint: string, handler: MessageHandler): void {
    if (this.#endpoints.has(endpoint)) throw new Error(`endpoint ${endpoint} already has a handler`);
    this.#endpoints.set(endpoint, handler);
  }

  publish(topic: string, message: unknown): void {
    this.counters.published++;
    const tap = this.#tap;
    if (tap !== undefined) this.#callTap(() => tap.onPublish(topic, message));
    const handlers = this.#handlersFor(topic);
    for (let i = 0; i < handlers.length; i++) handlers[i]!(message);
  }

  /** Sends to an endpoint; the tap sees it even when nobody handles the endpoint. */
  send(endpoint: string, message: unknown): void {
    this.counters.sent++;
    const tap = this.#tap;
    if (tap !== undefined) this.#callTap(() => tap.onSend(endpoint, message));
    this.#endpoints.get(endpoint)?.(message);
  }

  /** Sends `request` to `endpoint` and routes the response carrying `correlationId` to `onResponse`. */
  request(endpoint: string, request: unknown, correlationId: string, onResponse: MessageHandler): void {
    if (this.#pendingResponses.has(correlationId)) throw new Error(`a request with correlation id ${correlationId} is already pending`);
    this.#pendingResponses.set(correlationId, onResponse);
    this.send(endpoint, request);
  }

  /** Delivers a response to the handler waiting on `correlationId` (once); false when none waits. */
  respond(correlationId: string, response: unknown): boolean {
    this.counters.responses++;
    const tap = this.#tap;
    if (tap !== undefined) this.#callTap(() => tap.onResponse(correlationId, response));
    const handler = this.#pendingResponses.get(correlationId);
    if (handler === undefined) return false;
    this.#pendingResponses.delete(correlationId);
    handler(response);
    return true;
  }

  /** Fires a timer: the tap sees the time event, then the timer's callback runs. */
  fireTimer(event: unknown, callback: MessageHandler): void {
    this.counters.timers++;
    const tap = this.#tap;
    if (tap !== undefined) this.#callTap(() => tap.onTimer(event));
    callback(event);
  }

  get pendingRequestCount(): number {
    return this.#pendingResponses.size;
  }

  #callTap(hook: () => void): void {
    try {
      hook();
    } catch {
      // A tap must not throw, and if one does, delivery still matters more than capture.
      this.counters.tapFailures++;
    }
  }

  #handlersFor(topic: string): readonly MessageHandler[] {
    let handlers = this.#resolved.get(topic);
    if (handlers === undefined) {
      handlers = this.#subscriptions
        .filter((subscription) => (subscription.matcher === undefined ? subscription.pattern === topic : subscription.matcher.test(topic)))
        .sort((left, right) => right.priority - left.priority || left.order - right.order)
        .map((subscription) => subscription.handler);
      this.#resolved.set(topic, handlers);
    }
    return handlers;
  }
}
