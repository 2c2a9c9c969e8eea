/**
 * A record-check thread that dies while it holds chunks hands them back to the calling thread:
 * the hash-only walk still answers, with every stored hash checked, and damage is still found.
 * Chunks are large enough (tens of thousands of records) that the thread is still hashing when it
 * is ended, so the hand-back, not the thread, gives the answer.
 */
import { createProvider } from '@tapelog/backend-memory';
import type { EventStore } from '@tapelog/core';
import { recordCheckStats, terminateRecordCheckThreads } from '@tapelog/core/backend';
import { beforeAll, describe, expect, test } from 'vitest';
import { type BuiltRun, buildRun, drafts, flippedPayloadBytes, INSTANCE } from './helpers.js';

const COUNT = 40_000;
const DAMAGED_SEQ = 30_000;

/** Resolves once a chunk has gone to a record-check thread since `before` (a few event-loop turns at most). */
async function chunkPosted(before: number): Promise<void> {
  while (recordCheckStats().offThread === before) await new Promise((resolve) => setImmediate(resolve));
}

/** Runs `walk` and ends every record-check thread as soon as it has handed one a chunk. */
async function walkWhileThreadsDie<T>(walk: () => Promise<T>): Promise<{ outcome: PromiseSettledResult<T>; handedBack: number }> {
  const before = recordCheckStats();
  const walking = walk();
  await chunkPosted(before.offThread);
  await terminateRecordCheckThreads();
  const [outcome] = await Promise.allSettled([walking]);
  return { outcome: outcome!, handedBack: recordCheckStats().inThread - before.inThread };
}

describe('a record-check thread that dies', () => {
  const provider = createProvider();
  let built: BuiltRun;
  let store: EventStore;

  beforeAll(async () => {
    built = await buildRun(provider, { runId: 'big', drafts: drafts(COUNT), seal: 'Ended' });
    await buildRun(provider, { runId: 'damaged', drafts: drafts(COUNT), seal: 'Ended' });
    await provider.tamper!.overwriteEntry(INSTANCE, 'damaged', DAMAGED_SEQ, flippedPayloadBytes(built.entries[DAMAGED_SEQ - 1]!.entry));
    store = await provider.openSealed(INSTANCE, 'big');
  }, 120_000);

  test('hands its chunk back: the walk returns every stored hash, checked in the calling thread', async () => {
    const { outcome, handedBack } = await walkWhileThreadsDie(() => store.scanEntryHashes!(1, COUNT));
    expect(handedBack).toBe(1);
    expect(outcome.status).toBe('fulfilled');
    const range = (outcome as PromiseFulfilledResult<Awaited<ReturnType<NonNullable<EventStore['scanEntryHashes']>>>>).value;
    expect([range.from, range.to, range.minTsInit, range.maxTsInit]).toEqual([1, COUNT, 101n, 100n + BigInt(COUNT)]);
    const expected = new Uint8Array(COUNT * 32);
    for (const [index, { entry }] of built.entries.entries()) expected.set(entry.entryHash, index * 32);
    expect(Buffer.from(range.hashes).equals(Buffer.from(expected))).toBe(true);
  });

  test('the next walk starts a new thread and answers the same', async () => {
    const before = recordCheckStats();
    const range = await store.scanEntryHashes!(1, COUNT);
    expect(recordCheckStats().offThread - before.offThread).toBe(1);
    expect(recordCheckStats().inThread - before.inThread).toBe(0);
    expect(range.to).toBe(COUNT);
    expect(Buffer.from(range.hashes.subarray(0, 32)).equals(Buffer.from(built.entries[0]!.entry.entryHash))).toBe(true);
  });

  test('damage in a handed-back chunk fails the walk exactly as the entry scan does', async () => {
    const damaged = await provider.openSealed(INSTANCE, 'damaged');
    try {
      const { outcome, handedBack } = await walkWhileThreadsDie(() => damaged.scanEntryHashes!(1, COUNT));
      expect(handedBack).toBe(1);
      expect(outcome.status).toBe('rejected');
      const fromScan = await damaged.scanRange(1, COUNT).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: 'HASH_MISMATCH', seq: DAMAGED_SEQ });
      expect(fromScan).toMatchObject({ code: 'HASH_MISMATCH', seq: DAMAGED_SEQ });
    } finally {
      await damaged.close();
    }
  });
});
