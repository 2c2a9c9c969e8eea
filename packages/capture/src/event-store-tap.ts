/**
 * The event-store tap: installed on a kernel's bus, it records every registered message through
 * the capture adapter before handlers run, feeds the rest to the market-data marker sidecar, and
 * turns every failure into a log line, because capture must never stop a message reaching its
 * handlers. Fail-stop is the halt callback's job, not the bus's.
 */
import { type Clock, type Headers, TapelogError } from '@tapelog/core';
import type { BusCaptureAdapter } from './adapter.js';
import { type BusTap, DATA_RESPONSE_TOPIC, TIME_EVENT_TOPIC } from './bus-tap.js';
import { describeHaltReason } from './halt-reason.js';

/**
 * The marker sidecar as the tap sees it. `observe` gets every message the tap did not record
 * (unregistered types and duplicates), with the boundary's topic; `entrySubmitted`, when
 * present, follows every recorded one. Safety flushes are the sidecar's own business.
 */
export interface MarkerObserver {
  observe(topic: string, message: unknown, tsInit: bigint): void;
  entrySubmitted?(tsInit: bigint): void;
}

/** Where the tap reports what it cannot throw. `context` holds the topic and the error. */
export interface CaptureLogger {
  warn(message: string, context: Record<string, unknown>): void;
  error(message: string, context: Record<string, unknown>): void;
}

export interface EventStoreTapOptions {
  adapter: BusCaptureAdapter;
  /** Stamps `tsInit` of every captured entry, read when the hook is called. */
  clock: Clock;
  markers?: MarkerObserver;
  /** Defaults to the console. */
  logger?: CaptureLogger;
}

/** The tap's own state, for the kernel's diagnostics. */
export interface EventStoreTap extends BusTap {
  /** False once a marker call threw: markers stay off for the rest of the run. */
  readonly markersEnabled: boolean;
}

const consoleLogger: CaptureLogger = {
  warn: (message, context) => console.warn(message, context),
  error: (message, context) => console.error(message, context),
};

const EMPTY_HEADERS: Headers = Object.freeze({});

export const HALTED_LOG_MESSAGE = 'Event store capture is halted; state-affecting messages are no longer recorded for this run';

/** Builds the tap; install it with `host.setTap(tap)` once the run is open. */
export function createEventStoreTap(options: EventStoreTapOptions): EventStoreTap {
  const { adapter, clock } = options;
  const logger = options.logger ?? consoleLogger;
  const registry = adapter.registry;
  let markers = options.markers;
  let haltedLogged = false;

  // A logger that throws must not reach the bus either.
  function log(level: 'warn' | 'error', message: string, context: Record<string, unknown>): void {
    try {
      logger[level](message, context);
    } catch {
      // Nowhere left to report to; delivery matters more than this line.
    }
  }

  function reportHalted(): void {
    if (haltedLogged) return;
    haltedLogged = true;
    const reason = adapter.haltReason;
    log('error', HALTED_LOG_MESSAGE, { reason: reason === undefined ? undefined : describeHaltReason(reason) });
  }

  function feedMarkers(topic: string, message: unknown, tsInit: bigint, captured: boolean): void {
    const sidecar = markers;
    if (sidecar === undefined) return;
    try {
      if (captured) sidecar.entrySubmitted?.(tsInit);
      else sidecar.observe(topic, message, tsInit);
    } catch (error) {
      markers = undefined;
      log('error', 'Market-data marker capture failed; markers are disabled for the rest of this run', { topic, error });
    }
  }

  function capture(topic: string, message: unknown): void {
    if (adapter.halted) {
      // Skip the throw-and-catch per message once halted; the result is the same.
      reportHalted();
      return;
    }
    let tsInit: bigint;
    let headers: Headers;
    try {
      tsInit = clock.now();
    } catch (error) {
      log('error', 'Event store capture could not read the clock; message not recorded', { topic, error });
      return;
    }
    let duplicate = false;
    try {
      duplicate = adapter.isRecentDuplicate(message);
    } catch {
      // The capture below meets the same failure and reports it.
    }
    if (duplicate) {
      feedMarkers(topic, message, tsInit, false);
      return;
    }
    try {
      headers = registry.headersFor(message) ?? EMPTY_HEADERS;
    } catch (error) {
      // Headers are metadata: losing them is better than losing the message.
      log('warn', 'Event store capture could not extract headers; recording the message without them', { topic, error });
      headers = EMPTY_HEADERS;
    }
    let captured: boolean;
    try {
      captured = adapter.capture(topic, message, headers, tsInit);
    } catch (error) {
      if (TapelogError.hasCode(error, 'HALTED')) reportHalted();
      else if (TapelogError.hasCode(error, 'ENCODE')) log('warn', 'Event store capture could not encode a message; not recorded', { topic, error });
      else log('error', 'Event store capture failed; message not recorded', { topic, error });
      return;
    }
    feedMarkers(topic, message, tsInit, captured);
  }

  // The outer guard covers anything the routine above did not foresee.
  function guarded(topic: string, message: unknown): void {
    try {
      capture(topic, message);
    } catch (error) {
      log('error', 'Event store tap failed unexpectedly; message not recorded', { topic, error });
    }
  }

  return {
    onPublish: (topic, message) => guarded(topic, message),
    onSend: (endpoint, message) => guarded(endpoint, message),
    onResponse: (_correlationId, message) => guarded(DATA_RESPONSE_TOPIC, message),
    onTimer: (event) => guarded(TIME_EVENT_TOPIC, event),
    get markersEnabled() {
      return markers !== undefined;
    },
  };
}
