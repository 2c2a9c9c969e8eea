/** Export's record reads: batches of checked records cover exactly the asked range, clipped to the high-watermark. */
import { createProvider } from '@tapelog/backend-level';
import { buildAppendEntry, decodeCheckedEntry, newManifest } from '@tapelog/core';
import { temporaryDirectory } from '@tapelog/test-support';
import { describe, expect, test } from 'vitest';
import { scansRecords, streamEntryRecords } from '../src/export-record-stream.js';

const COUNT = 700;

async function sealedRun() {
  const provider = createProvider({ baseDir: temporaryDirectory('tapelog-export-records-') });
  const store = await provider.openRun(newManifest({ runId: '1000-records0', instanceId: 'trader-001', startTsInit: 1000n }));
  const entries = Array.from({ length: COUNT }, (_, index) =>
    buildAppendEntry(
      { headers: {}, topic: `t.${index % 3}`, payloadType: 'Tick', payload: new Uint8Array([index & 0xff]), tsInit: BigInt(index), indexKeys: [] },
      index + 1,
      5n,
    ),
  );
  await store.appendBatch(entries);
  return store;
}

describe('streamEntryRecords', () => {
  test.each([
    [1, Number.MAX_SAFE_INTEGER, 300, [1, 301, 601], COUNT],
    [5, 604, 300, [5, 305], 604],
    [650, 900, 300, [650], COUNT],
    [701, 900, 300, [], 0],
  ])('seqs %i..%i by %i: batches start at %j and end at %i', async (fromSeq, toSeq, rows, starts, lastSeq) => {
    const store = await sealedRun();
    try {
      if (!scansRecords(store)) throw new Error('a LevelDB store scans records');
      const batches = [];
      for await (const batch of streamEntryRecords(store, { fromSeq, toSeq }, rows)) batches.push(batch);
      expect(batches.map((batch) => batch.firstSeq)).toEqual(starts);
      const seqs = batches.flatMap((batch) =>
        Array.from(
          { length: batch.count },
          (_, index) => decodeCheckedEntry(batch.bytes.subarray(batch.offsets[index]!, batch.offsets[index + 1]!), batch.firstSeq + index).seq,
        ),
      );
      expect(seqs).toEqual(starts.length === 0 ? [] : Array.from({ length: lastSeq - fromSeq + 1 }, (_, index) => fromSeq + index));
    } finally {
      await store.close();
    }
  });
});
