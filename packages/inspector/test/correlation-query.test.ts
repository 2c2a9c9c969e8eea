/** An order's story: the entries carrying its id and every entry their causation chains lead to, within the run. */
import { encode } from '@msgpack/msgpack';
import type { EventStore, EventStoreEntry } from '@tapelog/core';
import { expect, test } from 'vitest';
import { queryCorrelation } from '../src/reader/correlation-query.js';
import { type RunSummary, uuidPrefix } from '../src/reader/run-summary.js';

const COMMAND = 'aaaaaaaa-0000-4000-8000-000000000001';
/** Shares the command id's first 32 bits (what the summary keeps) but is another id. */
const LOOKALIKE = 'aaaaaaaa-0000-4000-8000-00000000ffff';
const ACCEPTED = 'bbbbbbbb-0000-4000-8000-000000000002';
const POSITION = 'cccccccc-0000-4000-8000-000000000003';

const drafts: Array<{ topic: string; payloadType: string; payload: Record<string, unknown>; causationId?: string }> = [
  { topic: 'RiskEngine.execute', payloadType: 'SubmitOrder', payload: { commandId: COMMAND, clientOrderId: 'O-1', strategyId: 'MM-001' } },
  { topic: 'ExecEngine.process', payloadType: 'OrderAccepted', payload: { eventId: ACCEPTED }, causationId: COMMAND },
  { topic: 'events.position.MM-001', payloadType: 'PositionChanged', payload: { eventId: POSITION }, causationId: ACCEPTED },
  { topic: 'Portfolio.update_account', payloadType: 'AccountState', payload: { eventId: 'dddddddd-0000-4000-8000-000000000004' }, causationId: POSITION },
  { topic: 'ExecEngine.process', payloadType: 'OrderAccepted', payload: { eventId: 'eeeeeeee-0000-4000-8000-000000000005' }, causationId: LOOKALIKE },
  { topic: 'clock.time_event', payloadType: 'TimeEvent', payload: { eventId: 'ffffffff-0000-4000-8000-000000000006' } },
];

const entries = drafts.map(
  (draft, index) =>
    ({
      seq: index + 1,
      tsInit: 1_000n + BigInt(index),
      topic: draft.topic,
      payloadType: draft.payloadType,
      payload: encode(draft.payload),
      headers: draft.causationId === undefined ? {} : { causationId: draft.causationId },
    }) as unknown as EventStoreEntry,
);

const store = {
  async indexKinds() {
    return [];
  },
  async scanSeq(seq: number) {
    return entries[seq - 1];
  },
} as unknown as EventStore;

const summary = {
  entries: entries.length,
  orderIds: new Map([['O-1', [1]]]),
  causationPrefixes: Uint32Array.from(drafts.map((draft) => uuidPrefix(draft.causationId))),
} as unknown as RunSummary;

test('the story follows causation step by step from the entries carrying the key, and nothing that only looks alike', async () => {
  const answer = await queryCorrelation(summary, store, 'O-1');
  expect(answer.entries.map((entry) => [entry.seq, entry.relation, entry.causedBySeq])).toEqual([
    [1, 'carries', null],
    [2, 'refers', 1],
    [3, 'refers', 2],
    [4, 'refers', 3],
  ]);
  expect(answer.entries.map((entry) => entry.from)).toEqual(['MM-001', 'RiskEngine', 'ExecEngine', 'events.position']);
  expect(answer.truncated).toBe(false);
});

test('a key nothing carries has an empty story', async () => {
  expect((await queryCorrelation(summary, store, 'O-404')).entries).toEqual([]);
});
