import { createProvider } from '@tapelog/backend-memory';
import { buildAppendEntry, DEFAULT_SCAN_CHUNK_SIZE, type EventStore, EventStoreReader, newManifest, TapelogError, verifyEntryHash } from '@tapelog/core';
import { loadForensicsReplay, planForensicsReplay, streamForensicsReplay, validateReplaySeqRange } from '@tapelog/recovery';
import { describe, expect, test } from 'vitest';
import { buildRun, draft, drafts, INSTANCE, runEnded } from './helpers.js';

async function sealedReader(
  drafts = [
    draft(100n, { topic: 'system.run', payloadType: 'RunStarted' }),
    draft(80n, { topic: 'commands.trading', payloadType: 'SubmitOrder' }),
    draft(120n, { topic: 'events.order.O-1', payloadType: 'OrderFilled' }),
    runEnded(130n),
  ],
) {
  const provider = createProvider();
  await buildRun(provider, { runId: 'forensics', drafts, seal: 'Ended' });
  return { reader: new EventStoreReader(await provider.openSealed(INSTANCE, 'forensics')) };
}

describe('forensics replay', () => {
  test.each([
    [0, 1, 'seq is 1-based'],
    [2, 1, 'from_seq exceeds to_seq'],
  ])('rejects the range %i..=%i with INVALID_SEQ_RANGE (%s) before reading', async (fromSeq, toSeq, reason) => {
    const { reader } = await sealedReader();
    const error = await planForensicsReplay(reader, { fromSeq, toSeq }).catch((caught: unknown) => caught);
    expect(TapelogError.hasCode(error, 'INVALID_SEQ_RANGE')).toBe(true);
    expect((error as TapelogError).message).toBe(`invalid replay seq range ${fromSeq}..=${toSeq}: ${reason}`);
    expect(() => validateReplaySeqRange({ fromSeq, toSeq })).toThrow(reason);
  });

  test('plans and loads a sealed run: event span, count, min/max tsInit (not first/last), entries in seq order', async () => {
    const { reader } = await sealedReader();
    const plan = await planForensicsReplay(reader, { fromSeq: 1, toSeq: 4 });
    expect(plan.eventRange).toEqual({ fromSeq: 1, toSeq: 4 });
    expect(plan.eventCount).toBe(4);
    expect(plan.eventTimeRange).toEqual({ start: 80n, end: 130n });
    const entries = await loadForensicsReplay(reader, plan);
    expect(entries.map((entry) => entry.seq)).toEqual([1, 2, 3, 4]);
    expect(entries.map((entry) => entry.payloadType)).toEqual(['RunStarted', 'SubmitOrder', 'OrderFilled', 'RunEnded']);
    for (const entry of entries) expect(verifyEntryHash(entry)).toBe(true);
  });

  test('clips a range past the high-watermark and plans an empty range above it without error', async () => {
    const { reader } = await sealedReader();
    expect((await planForensicsReplay(reader, { fromSeq: 3, toSeq: Number.MAX_SAFE_INTEGER })).eventRange).toEqual({ fromSeq: 3, toSeq: 4 });
    const empty = await planForensicsReplay(reader, { fromSeq: 9, toSeq: 20 });
    expect(empty).toMatchObject({ eventRange: undefined, eventCount: 0, eventTimeRange: undefined });
  });

  test('filters by topic and payload type', async () => {
    const { reader } = await sealedReader();
    const byTopic = await planForensicsReplay(reader, { fromSeq: 1, toSeq: 4 }, { topics: ['events.order.O-1', 'commands.trading'] });
    expect(byTopic).toMatchObject({ eventRange: { fromSeq: 2, toSeq: 3 }, eventCount: 2, eventTimeRange: { start: 80n, end: 120n } });
    const byType = await loadForensicsReplay(reader, await planForensicsReplay(reader, { fromSeq: 1, toSeq: 4 }, { payloadTypes: ['RunEnded'] }));
    expect(byType.map((entry) => entry.seq)).toEqual([4]);
  });

  test('a tampered row in the range aborts with HASH_MISMATCH naming its seq, rows before it in the chunk unseen', async () => {
    const provider = createProvider();
    const store = await provider.openRun(newManifest({ runId: 'tampered', instanceId: INSTANCE, startTsInit: 100n }));
    const entries = [draft(101n), draft(102n), draft(103n)].map((entryDraft, index) => buildAppendEntry(entryDraft, index + 1, entryDraft.tsInit));
    entries[1] = { ...entries[1]!, entry: { ...entries[1]!.entry, payload: Uint8Array.from([9, 9, 9]) } };
    await store.appendBatch(entries);
    await store.seal('Ended');
    await store.close();
    const reader = new EventStoreReader(await provider.openSealed(INSTANCE, 'tampered'));
    const chunks = streamForensicsReplay(reader, { fromSeq: 1, toSeq: 3 });
    await expect(chunks.next()).rejects.toMatchObject({ code: 'HASH_MISMATCH', seq: 2 });
  });

  describe('reading ahead', () => {
    const CHUNKS = 3;

    /** A sealed run of three scan chunks, its reads counted, the second read failing when `failSecond`. */
    async function countedReader(failSecond = false) {
      const provider = createProvider();
      await buildRun(provider, { runId: 'ahead', drafts: drafts(CHUNKS * DEFAULT_SCAN_CHUNK_SIZE), seal: 'Ended' });
      const store = await provider.openSealed(INSTANCE, 'ahead');
      const reads = { count: 0 };
      const counted = new Proxy(store, {
        get(target, property, receiver) {
          if (property !== 'scanRange') return Reflect.get(target, property, receiver);
          return (...args: Parameters<EventStore['scanRange']>) => {
            reads.count++;
            if (failSecond && reads.count === 2) return Promise.reject(new TapelogError('CORRUPTED', 'the second chunk is damaged'));
            return target.scanRange(...args);
          };
        },
      });
      return { reader: new EventStoreReader(counted), reads };
    }

    test('the next chunk is read while the caller still works on the current one', async () => {
      const { reader, reads } = await countedReader();
      const chunks = streamForensicsReplay(reader, { fromSeq: 1, toSeq: Number.MAX_SAFE_INTEGER });
      const first = await chunks.next();
      expect(first.value?.entries).toHaveLength(DEFAULT_SCAN_CHUNK_SIZE);
      expect(reads.count).toBe(2);
      let seen = first.value!.entries.length;
      for await (const chunk of chunks) seen += chunk.entries.length;
      expect(seen).toBe(CHUNKS * DEFAULT_SCAN_CHUNK_SIZE);
    });

    test("a read ahead that fails is thrown where the caller reaches it, and is nobody's error once the caller has stopped", async () => {
      const unhandled: unknown[] = [];
      const record = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', record);
      try {
        const stopped = await countedReader(true);
        const early = streamForensicsReplay(stopped.reader, { fromSeq: 1, toSeq: Number.MAX_SAFE_INTEGER });
        expect((await early.next()).done).toBe(false);
        await early.return(undefined);

        const reached = await countedReader(true);
        const chunks = streamForensicsReplay(reached.reader, { fromSeq: 1, toSeq: Number.MAX_SAFE_INTEGER });
        await chunks.next();
        await expect(chunks.next()).rejects.toMatchObject({ code: 'CORRUPTED' });
        await new Promise((resolve) => setImmediate(resolve));
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', record);
      }
    });
  });
});
