import { createProvider } from '@tapelog/backend-memory';
import { computeSnapshotContentHash, type EventStoreEntry, type SnapshotAnchor } from '@tapelog/core';
import { type RestoreTarget, restoreFromSealedRun, validateReplaySource } from '@tapelog/recovery';
import { describe, expect, test } from 'vitest';
import { buildRun, draft, drafts, flippedPayloadBytes, INSTANCE } from './helpers.js';

const BLOB = new TextEncoder().encode('{"position":"P-1","frame":0}');

/** A target that records every call, applying entries of payload type OrderFilled and ignoring the rest. */
function recordingTarget(blobs: Record<string, Uint8Array> = { 'cache://position-snapshots/P-1/0': BLOB }) {
  const calls: string[] = [];
  const target: RestoreTarget = {
    loadSnapshot: async (anchor: SnapshotAnchor) => {
      calls.push(`load ${anchor.blobRef}`);
      return blobs[anchor.blobRef];
    },
    applySnapshot: (blob: Uint8Array, anchor: SnapshotAnchor) => {
      calls.push(`snapshot ${anchor.highWatermark} ${new TextDecoder().decode(blob)}`);
    },
    applyEntry: (entry: EventStoreEntry) => {
      calls.push(`entry ${entry.seq}`);
      return entry.payloadType === 'OrderFilled';
    },
  };
  return { target, calls };
}

const ANCHOR = { blobRef: 'cache://position-snapshots/P-1/0', contentHash: computeSnapshotContentHash(BLOB) };

describe('restoreFromSealedRun', () => {
  test('restores the snapshot before applying the tail after the anchor, in seq order', async () => {
    const provider = createProvider();
    await buildRun(provider, {
      runId: 'source',
      drafts: [draft(101n), draft(102n), draft(103n, { payloadType: 'RunStarted' }), draft(104n)],
      anchor: { ...ANCHOR, highWatermark: 1 },
      seal: 'Ended',
    });
    const { target, calls } = recordingTarget();
    const report = await restoreFromSealedRun(provider, INSTANCE, 'source', target);
    expect(calls).toEqual(['load cache://position-snapshots/P-1/0', 'snapshot 1 {"position":"P-1","frame":0}', 'entry 2', 'entry 3', 'entry 4']);
    expect(report).toMatchObject({ fromSeq: 2, toSeq: 4, applied: 2, ignored: 1, anchor: { highWatermark: 1, ...ANCHOR } });
    expect(report.manifest).toMatchObject({ runId: 'source', status: 'Ended' });
  });

  test('an anchor at the hwm gives an empty tail: nothing is applied', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'source', drafts: drafts(2), anchor: ANCHOR, seal: 'CrashedRecovered' });
    const { target, calls } = recordingTarget();
    const report = await restoreFromSealedRun(provider, INSTANCE, 'source', target);
    expect(report).toMatchObject({ fromSeq: 3, toSeq: 2, applied: 0, ignored: 0 });
    expect(calls).toHaveLength(2);
  });

  test('without an anchor no snapshot is loaded and the whole run is replayed from seq 1', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'source', drafts: drafts(2), seal: 'Ended' });
    const { target, calls } = recordingTarget();
    const report = await restoreFromSealedRun(provider, INSTANCE, 'source', target);
    expect(report).toMatchObject({ fromSeq: 1, toSeq: 2, applied: 2, ignored: 0 });
    expect(report.anchor).toBeUndefined();
    expect(calls).toEqual(['entry 1', 'entry 2']);
  });

  test('entries at or below the anchor are never read: damage there does not stop a restore', async () => {
    const provider = createProvider();
    const built = await buildRun(provider, { runId: 'source', drafts: drafts(3), anchor: { ...ANCHOR, highWatermark: 2 }, seal: 'Ended' });
    await provider.tamper!.overwriteEntry(INSTANCE, 'source', 1, flippedPayloadBytes(built.entries[0]!.entry));
    const report = await restoreFromSealedRun(provider, INSTANCE, 'source', recordingTarget().target);
    expect(report).toMatchObject({ fromSeq: 3, applied: 1 });
  });

  test('a blob whose content hash differs is refused before anything is applied (CORRUPTED naming the blob)', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'source', drafts: drafts(2), anchor: { ...ANCHOR, highWatermark: 1 }, seal: 'Ended' });
    const { target, calls } = recordingTarget({ [ANCHOR.blobRef]: new TextEncoder().encode('tampered') });
    const error = await restoreFromSealedRun(provider, INSTANCE, 'source', target).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'CORRUPTED' });
    // The code says what happened; the message must name the blob and the hash it expected.
    expect((error as Error).message).toContain(ANCHOR.blobRef);
    expect((error as Error).message).toContain(ANCHOR.contentHash);
    expect(calls).toEqual([`load ${ANCHOR.blobRef}`]);
  });

  test('a blob the target cannot find is an error naming the blob', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'source', drafts: drafts(1), anchor: ANCHOR, seal: 'Ended' });
    await expect(restoreFromSealedRun(provider, INSTANCE, 'source', recordingTarget({}).target)).rejects.toThrow(
      `restore cache snapshot ${ANCHOR.blobRef}: snapshot blob not found`,
    );
  });

  test('damage in the tail aborts the replay with the read error; what was applied stays applied', async () => {
    const provider = createProvider();
    const built = await buildRun(provider, { runId: 'source', drafts: drafts(3), seal: 'Ended' });
    await provider.tamper!.overwriteEntry(INSTANCE, 'source', 3, flippedPayloadBytes(built.entries[2]!.entry));
    await expect(restoreFromSealedRun(provider, INSTANCE, 'source', recordingTarget().target)).rejects.toMatchObject({
      code: 'HASH_MISMATCH',
      seq: 3,
    });
  });

  test('the store is closed afterwards: the run can be opened again', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'source', drafts: drafts(1), seal: 'Ended' });
    await restoreFromSealedRun(provider, INSTANCE, 'source', recordingTarget().target);
    const store = await provider.openSealed(INSTANCE, 'source');
    expect(await store.highWatermark()).toBe(1);
    await store.close();
  });
});

describe('validateReplaySource', () => {
  test('accepts Ended and CrashedRecovered runs, returning the manifest', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'ended', drafts: drafts(1), seal: 'Ended' });
    await buildRun(provider, { runId: 'crashed', drafts: drafts(1), seal: 'CrashedRecovered' });
    expect((await validateReplaySource(provider, INSTANCE, 'ended')).status).toBe('Ended');
    expect((await validateReplaySource(provider, INSTANCE, 'crashed')).status).toBe('CrashedRecovered');
  });

  test('rejects a missing run (also one of another instance)', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'elsewhere', drafts: drafts(1), seal: 'Ended' }, 'other-instance');
    await expect(validateReplaySource(provider, INSTANCE, 'elsewhere')).rejects.toMatchObject({
      code: 'INVALID_REPLAY_SOURCE',
      message: expect.stringContaining('no run file') as unknown,
    });
  });

  test('rejects a Running run', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'running', drafts: drafts(1) });
    await expect(validateReplaySource(provider, INSTANCE, 'running')).rejects.toMatchObject({
      code: 'INVALID_REPLAY_SOURCE',
      message: expect.stringContaining('not sealed') as unknown,
    });
  });

  test('rejects a Quarantined run, and restore does not touch the target', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'bad', drafts: drafts(1), seal: 'Quarantined' });
    await expect(validateReplaySource(provider, INSTANCE, 'bad')).rejects.toMatchObject({
      code: 'INVALID_REPLAY_SOURCE',
      message: expect.stringContaining('replay source bad is quarantined') as unknown,
    });
    const { target, calls } = recordingTarget();
    await expect(restoreFromSealedRun(provider, INSTANCE, 'bad', target)).rejects.toMatchObject({ code: 'INVALID_REPLAY_SOURCE' });
    expect(calls).toEqual([]);
    // The rejected source was closed again.
    await (await provider.openSealed(INSTANCE, 'bad')).close();
  });
});
