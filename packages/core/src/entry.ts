/** Turning drafts into hashed entries, and the draft helpers producers use. */
import { computeEntryHash } from './hash.js';
import type { AppendEntry, EntryDraft, EventStoreEntry, Headers } from './types.js';

/** The full entry for `draft` at `seq`, stamped `tsPublish`, with its hash computed. */
export function buildEntry(draft: EntryDraft, seq: number, tsPublish: bigint): EventStoreEntry {
  const entry: EventStoreEntry = {
    entryHash: EMPTY_HASH,
    seq,
    headers: draft.headers,
    topic: draft.topic,
    payloadType: draft.payloadType,
    payload: draft.payload,
    tsInit: draft.tsInit,
    tsPublish,
  };
  entry.entryHash = computeEntryHash(entry);
  return entry;
}

export function buildAppendEntry(draft: EntryDraft, seq: number, tsPublish: bigint): AppendEntry {
  return { entry: buildEntry(draft, seq, tsPublish), indexKeys: draft.indexKeys };
}

const EMPTY_HASH = new Uint8Array(32);

/** A draft with no index keys. */
export function draftWithoutIndices(headers: Headers, topic: string, payloadType: string, payload: Uint8Array, tsInit: bigint): EntryDraft {
  return { headers, topic, payloadType, payload, tsInit, indexKeys: [] };
}

/** The topic and payload type of the entry a clean shutdown writes last. */
export const RUN_ENDED_TOPIC = 'run.lifecycle.RunEnded';
export const RUN_ENDED_PAYLOAD_TYPE = 'RunEnded';
export const RUN_STARTED_TOPIC = 'run.lifecycle.RunStarted';
export const RUN_STARTED_PAYLOAD_TYPE = 'RunStarted';

/** The RunEnded draft: empty payload, no headers, no keys. */
export function runEndedDraft(tsInit: bigint): EntryDraft {
  return draftWithoutIndices({}, RUN_ENDED_TOPIC, RUN_ENDED_PAYLOAD_TYPE, new Uint8Array(0), tsInit);
}

export function isRunEnded(entry: Pick<EventStoreEntry, 'topic' | 'payloadType'>): boolean {
  return entry.topic === RUN_ENDED_TOPIC && entry.payloadType === RUN_ENDED_PAYLOAD_TYPE;
}
