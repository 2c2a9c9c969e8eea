/**
 * One order's whole story: every entry whose payload carries an order id (client or venue), or
 * whose index key is that id, and every entry caused by one of those or by an entry so caused
 * (its causation id is their message id, followed step by step), in seq order, each with the
 * components it went between for the sequence diagram.
 */
import type { EventStore, EventStoreEntry } from '@tapelog/core';
import { decodePayload, MESSAGE_ID_FIELDS } from './payload-decoding.js';
import { type RunSummary, uuidPrefix } from './run-summary.js';

/** An order's story is short; this bounds a key that half the run carries (a strategy id typed by mistake). */
export const CORRELATION_LIMIT = 5000;
/** Causation steps followed from the entries carrying the key (a kernel's chains are a few steps long). */
export const CAUSATION_STEP_LIMIT = 16;

export interface CorrelatedEntry {
  seq: number;
  tsInit: bigint;
  topic: string;
  payloadType: string;
  relation: 'carries' | 'refers';
  correlationId: string | null;
  causationId: string | null;
  /** The earlier listed entry whose message id is this entry's causation id. */
  causedBySeq: number | null;
  from: string;
  to: string;
}

export interface CorrelationAnswer {
  key: string;
  entries: CorrelatedEntry[];
  truncated: boolean;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function messageIdOf(payload: Record<string, unknown>): string | undefined {
  for (const field of MESSAGE_ID_FIELDS) if (typeof payload[field] === 'string') return payload[field];
  return undefined;
}

/** The component a topic delivers to: `RiskEngine.execute` → RiskEngine, `events.position.MM-001` → events.position. */
export function componentOfTopic(topic: string): string {
  const parts = topic.split('.');
  return /^[A-Z]/.test(parts[0] ?? '') ? parts[0]! : parts.slice(0, 2).join('.');
}

function senderOf(entry: EventStoreEntry, payload: Record<string, unknown>, cause: string | undefined): string {
  if (cause !== undefined) return cause;
  // A command comes from the strategy that issued it, a raw report from the venue; for anything
  // else whose cause is not in the story the sender is unknown, shown as the receiver itself.
  if (entry.topic.endsWith('.execute') && typeof payload.strategyId === 'string') return payload.strategyId;
  if (entry.topic.startsWith('reconciliation.')) return 'venue';
  return componentOfTopic(entry.topic);
}

async function readEntries(store: EventStore, seqs: readonly number[]): Promise<EventStoreEntry[]> {
  const found: EventStoreEntry[] = [];
  for (const seq of seqs) {
    const entry = await store.scanSeq(seq);
    if (entry !== undefined) found.push(entry);
  }
  return found;
}

export async function queryCorrelation(summary: RunSummary, store: EventStore, key: string): Promise<CorrelationAnswer> {
  const carrying = new Set(summary.orderIds.get(key) ?? []);
  for (const kind of await store.indexKinds()) {
    const seq = await store.lookup(kind, key);
    if (seq !== undefined) carrying.add(seq);
  }
  const carrierSeqs = [...carrying].sort((left, right) => left - right);
  const truncated = carrierSeqs.length > CORRELATION_LIMIT;
  const carriers = await readEntries(store, carrierSeqs.slice(0, CORRELATION_LIMIT));
  const payloads = new Map<number, Record<string, unknown>>();
  const messageIds = new Map<string, number>();
  for (const entry of carriers) {
    const decoded = decodePayload(entry.payloadType, entry.payload);
    const payload = decoded.decoded ? record(decoded.value) : {};
    payloads.set(entry.seq, payload);
    const id = messageIdOf(payload);
    if (id !== undefined) messageIds.set(id, entry.seq);
  }
  // Follow causation one step at a time: the entries caused by what is listed so far, then the
  // entries caused by those, until a step finds nothing new (or the limits are reached).
  const listed = new Set(carrying);
  const referrers: EventStoreEntry[] = [];
  let newIds = [...messageIds.keys()];
  let referrersTruncated = false;
  for (let step = 0; step < CAUSATION_STEP_LIMIT && newIds.length > 0 && !truncated && !referrersTruncated; step += 1) {
    const prefixes = new Set(newIds.map((id) => uuidPrefix(id)));
    const causes = new Set(newIds);
    const candidates: number[] = [];
    for (let index = 0; index < summary.entries; index += 1) {
      const prefix = summary.causationPrefixes[index]!;
      if (prefix !== 0 && prefixes.has(prefix) && !listed.has(index + 1)) candidates.push(index + 1);
    }
    const room = CORRELATION_LIMIT - referrers.length;
    referrersTruncated = candidates.length > room;
    newIds = [];
    for (const entry of await readEntries(store, candidates.slice(0, room))) {
      if (!causes.has(entry.headers.causationId ?? '')) continue;
      listed.add(entry.seq);
      referrers.push(entry);
      const decoded = decodePayload(entry.payloadType, entry.payload);
      const payload = decoded.decoded ? record(decoded.value) : {};
      payloads.set(entry.seq, payload);
      const id = messageIdOf(payload);
      if (id !== undefined && !messageIds.has(id)) {
        messageIds.set(id, entry.seq);
        newIds.push(id);
      }
    }
  }
  const all = [...carriers, ...referrers].sort((left, right) => left.seq - right.seq);
  const bySeq = new Map(all.map((entry) => [entry.seq, entry]));
  const entries = all.map((entry): CorrelatedEntry => {
    const causedBySeq = messageIds.get(entry.headers.causationId ?? '') ?? null;
    const cause = causedBySeq === null ? undefined : bySeq.get(causedBySeq);
    return {
      seq: entry.seq,
      tsInit: entry.tsInit,
      topic: entry.topic,
      payloadType: entry.payloadType,
      relation: carrying.has(entry.seq) ? 'carries' : 'refers',
      correlationId: entry.headers.correlationId ?? null,
      causationId: entry.headers.causationId ?? null,
      causedBySeq,
      from: senderOf(entry, payloads.get(entry.seq) ?? {}, cause === undefined ? undefined : componentOfTopic(cause.topic)),
      to: componentOfTopic(entry.topic),
    };
  });
  return { key, entries, truncated: truncated || referrersTruncated };
}
