/**
 * Extractors read what markers need from a kernel's own market-data message classes: the stream
 * identifier, the two timestamps and the content fingerprint. Markers never see prices except
 * through the fingerprint, and store no payload.
 */
import type { DataClass } from './data-class.js';
import { type FingerprintFieldsByClass, fingerprintRecord } from './fingerprint.js';

/**
 * What the sidecar asks of one message type. Each function returns `undefined` when the message
 * is not the type the extractor was registered for (a miswired registry); the sidecar then
 * ignores the message.
 */
export interface DataMarkerExtractor<M = never> {
  readonly dataClass: DataClass;
  /** The instrument-id string, or for bars the bar-type string. Taken from the payload, never the topic. */
  identifier(message: M): string | undefined;
  tsEvent(message: M): bigint | undefined;
  tsInit(message: M): bigint | undefined;
  /** The 32-byte record fingerprint; only called for high-fidelity identifiers. */
  fingerprint(message: M): Uint8Array | undefined;
}

/** How to read one kernel message type; `fingerprintFields` feeds upstream's layout of the class. */
export interface ExtractorAccessors<M, F> {
  identifier(message: M): string;
  tsEvent(message: M): bigint;
  tsInit(message: M): bigint;
  fingerprintFields(message: M): F;
}

/**
 * Builds an extractor for `dataClass` from plain accessors, fingerprinting with the class's
 * reference layout. Example: `defineExtractor('Quote', { identifier: (q: Quote) => q.instrumentId, … })`.
 */
export function defineExtractor<C extends DataClass, M>(dataClass: C, accessors: ExtractorAccessors<M, FingerprintFieldsByClass[C]>): DataMarkerExtractor<M> {
  return {
    dataClass,
    identifier: (message) => accessors.identifier(message),
    tsEvent: (message) => accessors.tsEvent(message),
    tsInit: (message) => accessors.tsInit(message),
    fingerprint: (message) => fingerprintRecord(dataClass, accessors.fingerprintFields(message)),
  };
}
