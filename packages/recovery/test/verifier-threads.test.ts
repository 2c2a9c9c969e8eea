/**
 * Verify and the recovery sweep on runs large enough that their records are checked on the
 * record-check threads: the outcome must be the one the entry scan gives, damage included.
 */
import { createProvider } from '@tapelog/backend-memory';
import type { EventStore, EventStoreProvider } from '@tapelog/core';
import { recordCheckStats } from '@tapelog/core/backend';
import { recoverPredecessors, Verifier } from '@tapelog/recovery';
import { describe, expect, test } from 'vitest';
import { buildRun, drafts, flippedPayloadBytes, INSTANCE, runEnded, withOverrides } from './helpers.js';

const COUNT = 3000;

async function verifyBothWays(provider: EventStoreProvider, runId: string) {
  const reports = [];
  for (const entryScan of [false, true]) {
    const store: EventStore = await provider.openSealed(INSTANCE, runId);
    try {
      const verified = entryScan ? withOverrides(store, { scanEntryHashes: undefined }) : store;
      reports.push(await new Verifier(verified, { chunkSize: 1024 }).verify());
    } finally {
      await store.close();
    }
  }
  return { threads: reports[0]!, entryScan: reports[1]! };
}

describe('Verifier with records checked on other threads', () => {
  test('a clean run: the chain head of the build, and the chunks went to a thread', async () => {
    const provider = createProvider();
    const built = await buildRun(provider, { runId: 'big', drafts: drafts(COUNT), seal: 'Ended' });
    const before = recordCheckStats().offThread;
    const { threads, entryScan } = await verifyBothWays(provider, 'big');
    expect(threads).toEqual(entryScan);
    expect(threads).toMatchObject({ findings: [], entriesScanned: COUNT, chainHead: built.chainHead });
    expect(recordCheckStats().offThread - before).toBeGreaterThanOrEqual(2);
  });

  test('damage in the middle of large chunks gives the findings of the entry scan', async () => {
    const provider = createProvider();
    const built = await buildRun(provider, { runId: 'damaged', drafts: drafts(COUNT), seal: 'Ended' });
    await provider.tamper!.overwriteEntry(INSTANCE, 'damaged', 1500, flippedPayloadBytes(built.entries[1499]!.entry));
    await provider.tamper!.overwriteEntry(INSTANCE, 'damaged', 2500, new Uint8Array([0x54, 0x4c, 0x4f, 0x47, 1, 0]));
    await provider.tamper!.deleteEntry(INSTANCE, 'damaged', 2800);
    const { threads, entryScan } = await verifyBothWays(provider, 'damaged');
    expect(threads).toEqual(entryScan);
    expect(threads.findings.map((finding) => finding.kind)).toEqual(['HashMismatch', 'UndecodableEntry', 'Gap']);
    expect(threads.findings.slice(0, 3)).toMatchObject([{ seq: 1500 }, { seq: 2500 }, { from: 2800, to: 2800 }]);
    expect(threads.chainHead).toBeUndefined();
  });
});

describe('recovery sweep with records checked on other threads', () => {
  test('a large crashed run ending with RunEnded is sealed Ended with the chain head of the build', async () => {
    const provider = createProvider();
    const built = await buildRun(provider, { runId: 'ended', drafts: [...drafts(COUNT - 1), runEnded(BigInt(COUNT) * 1000n)] });
    const before = recordCheckStats().offThread;
    const outcome = await recoverPredecessors(provider, INSTANCE);
    expect(outcome.recovered).toMatchObject([{ runId: 'ended', status: 'Ended', highWatermark: COUNT, chainHead: built.chainHead }]);
    expect(recordCheckStats().offThread - before).toBeGreaterThanOrEqual(2);
  });

  test('a large crashed run with a damaged record in a middle chunk is Quarantined', async () => {
    const provider = createProvider();
    const built = await buildRun(provider, { runId: 'hurt', drafts: drafts(COUNT) });
    await provider.tamper!.overwriteEntry(INSTANCE, 'hurt', 1700, flippedPayloadBytes(built.entries[1699]!.entry));
    const outcome = await recoverPredecessors(provider, INSTANCE);
    expect(outcome.recovered).toMatchObject([{ runId: 'hurt', status: 'Quarantined', highWatermark: COUNT }]);
    expect(outcome.recovered[0]!.chainHead).toBeUndefined();
  });
});
