import { createProvider } from '@tapelog/backend-memory';
import { CHAIN_GENESIS, checkStoreFormat, diskError, type EventStoreProvider, RUN_ENDED_TOPIC, toHex } from '@tapelog/core';
import { recoverPredecessors } from '@tapelog/recovery';
import { describe, expect, test } from 'vitest';
import { buildRun, draft, drafts, flippedPayloadBytes, INSTANCE, runEnded, withOverrides } from './helpers.js';

function collectingLogger(): { logger: (message: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { logger: (message) => lines.push(message), lines };
}

async function statusOf(provider: EventStoreProvider, runId: string): Promise<string | undefined> {
  return (await provider.listRuns(INSTANCE)).find((manifest) => manifest.runId === runId)?.status;
}

describe('recoverPredecessors decision table', () => {
  test('an instance without runs recovers nothing and has no parent', async () => {
    const outcome = await recoverPredecessors(createProvider(), 'nobody');
    expect(outcome).toEqual({ recovered: [], skipped: [] });
  });

  test('a run with nothing durable is sealed CrashedRecovered with the genesis chain head, and is the parent', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'empty' });
    const outcome = await recoverPredecessors(provider, INSTANCE);
    expect(outcome.recovered).toMatchObject([{ runId: 'empty', status: 'CrashedRecovered', highWatermark: 0, chainHead: toHex(CHAIN_GENESIS) }]);
    expect(outcome.parentRunId).toBe('empty');
    const manifest = (await provider.listRuns(INSTANCE))[0]!;
    expect(manifest).toMatchObject({ status: 'CrashedRecovered', highWatermark: 0, chainHead: toHex(CHAIN_GENESIS) });
    expect(manifest.endTsInit).toBeUndefined();
  });

  test('a clean tail is sealed CrashedRecovered with the chain head over seq 1..hwm', async () => {
    const provider = createProvider();
    const built = await buildRun(provider, { runId: 'crashed', drafts: drafts(3) });
    const outcome = await recoverPredecessors(provider, INSTANCE);
    expect(outcome.recovered).toMatchObject([{ runId: 'crashed', status: 'CrashedRecovered', highWatermark: 3, chainHead: built.chainHead }]);
    expect(outcome.parentRunId).toBe('crashed');
    const manifest = (await provider.listRuns(INSTANCE))[0]!;
    expect(manifest).toMatchObject({ status: 'CrashedRecovered', highWatermark: 3, chainHead: built.chainHead, endTsInit: 103n });
  });

  test('a tail ending in RunEnded is sealed Ended, listed as recovered, and never the parent', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'ended', drafts: [draft(101n), runEnded(102n)] });
    const outcome = await recoverPredecessors(provider, INSTANCE);
    expect(outcome.recovered).toMatchObject([{ runId: 'ended', status: 'Ended', highWatermark: 2 }]);
    expect(outcome.parentRunId).toBeUndefined();
    expect(await statusOf(provider, 'ended')).toBe('Ended');
  });

  test('RunEnded needs both its topic and its payload type: a lookalike tail is CrashedRecovered', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'spoof', drafts: [draft(101n, { topic: RUN_ENDED_TOPIC, payloadType: 'SomethingElse' })] });
    const outcome = await recoverPredecessors(provider, INSTANCE);
    expect(outcome.recovered[0]!.status).toBe('CrashedRecovered');
  });

  test('a hash mismatch quarantines the run, stores no chain head, and it is never the parent', async () => {
    const provider = createProvider();
    const built = await buildRun(provider, { runId: 'tampered', drafts: drafts(3) });
    await provider.tamper!.overwriteEntry(INSTANCE, 'tampered', 2, flippedPayloadBytes(built.entries[1]!.entry));
    const { logger, lines } = collectingLogger();
    const outcome = await recoverPredecessors(provider, INSTANCE, { logger });
    expect(outcome.recovered).toHaveLength(1);
    expect(outcome.recovered[0]).toMatchObject({ runId: 'tampered', status: 'Quarantined', highWatermark: 3 });
    expect(outcome.recovered[0]!.chainHead).toBeUndefined();
    expect(outcome.parentRunId).toBeUndefined();
    const manifest = (await provider.listRuns(INSTANCE))[0]!;
    expect(manifest.status).toBe('Quarantined');
    expect(manifest.chainHead).toBeUndefined();
    expect(lines.join('\n')).toContain('quarantining run tampered');
    expect(lines.join('\n')).toContain('entry hash mismatch at seq 2');
  });

  test('a missing row inside the hwm (gap) quarantines the run', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'gappy', drafts: drafts(4) });
    await provider.tamper!.deleteEntry(INSTANCE, 'gappy', 2);
    const outcome = await recoverPredecessors(provider, INSTANCE, { logger: () => {} });
    expect(outcome.recovered[0]).toMatchObject({ runId: 'gappy', status: 'Quarantined', highWatermark: 4 });
  });

  test('an undecodable row quarantines the run', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'garbled', drafts: drafts(2) });
    await provider.tamper!.overwriteEntry(INSTANCE, 'garbled', 1, new Uint8Array([1, 2, 3]));
    const outcome = await recoverPredecessors(provider, INSTANCE, { logger: () => {} });
    expect(outcome.recovered[0]!.status).toBe('Quarantined');
  });

  test('a damage past the first chunk is found: the whole tail is read, not only its end', async () => {
    const provider = createProvider();
    const built = await buildRun(provider, { runId: 'long', drafts: [...drafts(5000), runEnded(9000n)] });
    await provider.tamper!.overwriteEntry(INSTANCE, 'long', 10, flippedPayloadBytes(built.entries[9]!.entry));
    const outcome = await recoverPredecessors(provider, INSTANCE, { logger: () => {} });
    expect(outcome.recovered[0]).toMatchObject({ status: 'Quarantined', highWatermark: 5001 });
  });
});

describe('recoverPredecessors parent and ordering', () => {
  test('three crashed runs: all CrashedRecovered, in startTsInit order, and the newest is the parent', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: '2000-bbbbbbbb', startTsInit: 2000n, drafts: drafts(1) });
    await buildRun(provider, { runId: '3000-cccccccc', startTsInit: 3000n, drafts: drafts(2) });
    await buildRun(provider, { runId: '1000-aaaaaaaa', startTsInit: 1000n });
    const outcome = await recoverPredecessors(provider, INSTANCE);
    expect(outcome.recovered.map((run) => [run.runId, run.status])).toEqual([
      ['1000-aaaaaaaa', 'CrashedRecovered'],
      ['2000-bbbbbbbb', 'CrashedRecovered'],
      ['3000-cccccccc', 'CrashedRecovered'],
    ]);
    expect(outcome.parentRunId?.startsWith('3000-')).toBe(true);
  });

  test('the parent is the newest CrashedRecovered run of this sweep, even when a newer run is quarantined or ended', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'old', startTsInit: 1000n, drafts: drafts(1) });
    const newest = await buildRun(provider, { runId: 'newest', startTsInit: 3000n, drafts: drafts(2) });
    await buildRun(provider, { runId: 'ended', startTsInit: 2000n, drafts: [runEnded(5n)] });
    await provider.tamper!.overwriteEntry(INSTANCE, 'newest', 1, flippedPayloadBytes(newest.entries[0]!.entry));
    const outcome = await recoverPredecessors(provider, INSTANCE, { logger: () => {} });
    expect(outcome.recovered.map((run) => run.status)).toEqual(['CrashedRecovered', 'Ended', 'Quarantined']);
    expect(outcome.parentRunId).toBe('old');
  });

  test('runs sealed before this sweep are left alone and are not parent candidates', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'earlier', startTsInit: 1000n, drafts: drafts(1), seal: 'CrashedRecovered' });
    const outcome = await recoverPredecessors(provider, INSTANCE);
    expect(outcome).toEqual({ recovered: [], skipped: [] });
  });

  test('a second sweep finds nothing left to recover', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'crashed', drafts: drafts(2) });
    await recoverPredecessors(provider, INSTANCE);
    expect(await recoverPredecessors(provider, INSTANCE)).toEqual({ recovered: [], skipped: [] });
  });
});

describe('recoverPredecessors robustness', () => {
  test('a run that cannot be opened is skipped and logged; the others are still recovered', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'held', startTsInit: 1000n, drafts: drafts(1) });
    await buildRun(provider, { runId: 'free', startTsInit: 2000n, drafts: drafts(1) });
    // Holding a store open makes the memory backend refuse a second open, as a locked LevelDB does.
    const held = await provider.openForRecovery(INSTANCE, 'held');
    const { logger, lines } = collectingLogger();
    const outcome = await recoverPredecessors(provider, INSTANCE, { logger });
    await held.close();
    expect(outcome.recovered.map((run) => run.runId)).toEqual(['free']);
    expect(outcome.skipped).toMatchObject([{ runId: 'held', reason: 'open-failed' }]);
    expect(lines.some((line) => line.includes('skipping run held') && line.includes('already open'))).toBe(true);
    expect(await statusOf(provider, 'held')).toBe('Running');
  });

  test('an unsupported store format met while listing fails the sweep', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'future', drafts: drafts(1) });
    await provider.tamper!.setFormatMarker(INSTANCE, 'future', 99);
    await expect(recoverPredecessors(provider, INSTANCE)).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT', message: expect.stringContaining('future') });
  });

  test('an unsupported store format met while opening a run fails the sweep', async () => {
    const memory = createProvider();
    await buildRun(memory, { runId: 'future', drafts: drafts(1) });
    const provider = withOverrides<EventStoreProvider>(memory, {
      openForRecovery: async () => {
        checkStoreFormat(7, 'memory://trader-001/future');
        throw new Error('unreachable');
      },
    });
    await expect(recoverPredecessors(provider, INSTANCE)).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
  });

  test('a read failure that is not damage (disk, backend) skips the run and leaves it Running', async () => {
    const failingRead = async (): Promise<never> => {
      throw diskError('EIO reading entries');
    };
    const memory = createProvider();
    await buildRun(memory, { runId: 'flaky', drafts: drafts(2) });
    const provider = withOverrides<EventStoreProvider>(memory, {
      openForRecovery: async (instanceId, runId) =>
        withOverrides(await memory.openForRecovery(instanceId, runId), {
          scanRange: failingRead,
          scanEntryHashes: failingRead,
          scanSeq: failingRead,
        }),
    });
    const { logger, lines } = collectingLogger();
    const outcome = await recoverPredecessors(provider, INSTANCE, { logger });
    expect(outcome.recovered).toEqual([]);
    expect(outcome.skipped).toMatchObject([{ runId: 'flaky', reason: 'read-failed' }]);
    expect(lines[0]).toContain('EIO reading entries');
    expect(await statusOf(memory, 'flaky')).toBe('Running');
    // The store was closed: the next sweep can open the run again and seal it.
    expect((await recoverPredecessors(memory, INSTANCE)).recovered).toHaveLength(1);
  });

  test('a seal failure skips the run: it is not recovered and cannot become the parent', async () => {
    const memory = createProvider();
    await buildRun(memory, { runId: 'stuck', drafts: drafts(1) });
    const provider = withOverrides<EventStoreProvider>(memory, {
      openForRecovery: async (instanceId, runId) =>
        withOverrides(await memory.openForRecovery(instanceId, runId), {
          seal: async () => {
            throw diskError('ENOSPC');
          },
        }),
    });
    const outcome = await recoverPredecessors(provider, INSTANCE, { logger: () => {} });
    expect(outcome.recovered).toEqual([]);
    expect(outcome.parentRunId).toBeUndefined();
    expect(outcome.skipped).toMatchObject([{ runId: 'stuck', reason: 'seal-failed' }]);
  });
});
