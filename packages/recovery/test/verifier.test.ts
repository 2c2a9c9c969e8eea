import { createProvider } from '@tapelog/backend-memory';
import {
  CHAIN_GENESIS,
  corruptedError,
  diskError,
  type EventStore,
  type EventStoreProvider,
  INDEX_KIND_CLIENT_ORDER_ID,
  INDEX_KIND_VENUE_ORDER_ID,
  toHex,
} from '@tapelog/core';
import { formatFinding, isCleanReport, Verifier, type VerifyFinding } from '@tapelog/recovery';
import { describe, expect, test } from 'vitest';
import { buildRun, draft, drafts, flippedPayloadBytes, INSTANCE, relocatedEntryBytes, runEnded, withOverrides } from './helpers.js';

async function verifySealed(provider: EventStoreProvider, runId: string, chunkSize?: number) {
  const verifier = await Verifier.openSealed(provider, INSTANCE, runId, chunkSize === undefined ? {} : { chunkSize });
  try {
    return await verifier.verify();
  } finally {
    await verifier.close();
  }
}

async function verifyWrapped(provider: EventStoreProvider, runId: string, overrides: (store: EventStore) => Partial<EventStore>) {
  const store = await provider.openSealed(INSTANCE, runId);
  try {
    return await new Verifier(withOverrides(store, overrides(store))).verify();
  } finally {
    await store.close();
  }
}

const ORDER_KEY = (kind: string, key: string) => ({ kind, key });

/** A memory provider holding the sealed run `runId`: entries 101n..103n, the second indexed as client order O-2. */
async function threeEntryRun(runId: string): Promise<ReturnType<typeof createProvider>> {
  const provider = createProvider();
  await buildRun(provider, {
    runId,
    drafts: [draft(101n), draft(102n, { indexKeys: [ORDER_KEY(INDEX_KIND_CLIENT_ORDER_ID, 'O-2')] }), draft(103n)],
    seal: 'Ended',
  });
  return provider;
}

describe('Verifier on clean runs', () => {
  test('a clean sealed run reports no findings, the durable hwm, slots scanned and the chain head', async () => {
    const provider = createProvider();
    const built = await buildRun(provider, { runId: 'clean', drafts: [draft(101n), draft(102n), runEnded(103n)], seal: 'Ended' });
    const report = await verifySealed(provider, 'clean');
    expect(report).toEqual({ runId: 'clean', status: 'Ended', highWatermark: 3, entriesScanned: 3, chainHead: built.chainHead, findings: [], unchecked: [] });
    expect(isCleanReport(report)).toBe(true);
  });

  test('an empty sealed run is clean with nothing scanned and the genesis chain head', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'empty', seal: 'Ended' });
    const report = await verifySealed(provider, 'empty');
    expect(report).toMatchObject({ entriesScanned: 0, highWatermark: 0, findings: [], chainHead: toHex(CHAIN_GENESIS) });
  });

  test('index keys that resolve to clean rows are not findings', async () => {
    const provider = createProvider();
    await buildRun(provider, {
      runId: 'indexed',
      drafts: [draft(101n, { indexKeys: [ORDER_KEY(INDEX_KIND_CLIENT_ORDER_ID, 'O-1'), ORDER_KEY(INDEX_KIND_VENUE_ORDER_ID, 'V-1')] }), draft(102n)],
      seal: 'Ended',
    });
    expect((await verifySealed(provider, 'indexed')).findings).toEqual([]);
  });

  test('a manifest without chain head (third-party backend) is not a finding; the head is still reported', async () => {
    const provider = createProvider();
    const built = await buildRun(provider, { runId: 'headless', drafts: drafts(2), seal: 'Ended' });
    const report = await verifyWrapped(provider, 'headless', (store) => ({
      manifest: async () => ({ ...(await store.manifest()), chainHead: undefined }),
    }));
    expect(report.findings).toEqual([]);
    expect(report.chainHead).toBe(built.chainHead);
  });

  test('progress is reported per chunk up to the hwm', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'progress', drafts: drafts(5), seal: 'Ended' });
    const seen: Array<[number, number]> = [];
    const verifier = await Verifier.openSealed(provider, INSTANCE, 'progress', { chunkSize: 2, onProgress: (walked, hwm) => seen.push([walked, hwm]) });
    await verifier.verify();
    await verifier.close();
    expect(seen).toEqual([
      [2, 5],
      [4, 5],
      [5, 5],
    ]);
  });
});

describe('Verifier entry walk findings', () => {
  test.each([undefined, 1, 2])('a hash mismatch surfaces per seq (chunk size %s)', async (chunkSize) => {
    const provider = createProvider();
    const built = await buildRun(provider, { runId: 'tampered', drafts: drafts(3), seal: 'Ended' });
    await provider.tamper!.overwriteEntry(INSTANCE, 'tampered', 2, flippedPayloadBytes(built.entries[1]!.entry));
    const report = await verifySealed(provider, 'tampered', chunkSize);
    expect(report.findings).toEqual([{ kind: 'HashMismatch', seq: 2 }]);
    expect(report).toMatchObject({ entriesScanned: 3, highWatermark: 3 });
    expect(report.chainHead).toBeUndefined();
  });

  test('multiple hash mismatches all surface: no fail-fast', async () => {
    const provider = createProvider();
    const built = await buildRun(provider, { runId: 'tampered', drafts: drafts(5), seal: 'Ended' });
    for (const seq of [2, 4]) await provider.tamper!.overwriteEntry(INSTANCE, 'tampered', seq, flippedPayloadBytes(built.entries[seq - 1]!.entry));
    const report = await verifySealed(provider, 'tampered');
    expect(report.findings.filter((finding) => finding.kind === 'HashMismatch')).toEqual([
      { kind: 'HashMismatch', seq: 2 },
      { kind: 'HashMismatch', seq: 4 },
    ]);
  });

  test.each([INDEX_KIND_CLIENT_ORDER_ID, INDEX_KIND_VENUE_ORDER_ID])('an index key on a tampered row is TargetCorrupted (%s)', async (kind) => {
    const provider = createProvider();
    const built = await buildRun(provider, { runId: 'tampered', drafts: [draft(101n, { indexKeys: [ORDER_KEY(kind, 'O-1')] })], seal: 'Ended' });
    await provider.tamper!.overwriteEntry(INSTANCE, 'tampered', 1, flippedPayloadBytes(built.entries[0]!.entry));
    const report = await verifySealed(provider, 'tampered');
    expect(report.findings).toContainEqual({ kind: 'IndexDrift', indexKind: kind, key: 'O-1', drift: 'TargetCorrupted', storedSeq: 1 });
  });

  test('an index kind that cannot be listed is a finding; the entry findings and other kinds still report', async () => {
    const provider = createProvider();
    const built = await buildRun(provider, {
      runId: 'index-damaged',
      drafts: [draft(101n, { indexKeys: [ORDER_KEY(INDEX_KIND_VENUE_ORDER_ID, 'V-1')] }), draft(102n)],
      seal: 'Ended',
    });
    await provider.tamper!.overwriteEntry(INSTANCE, 'index-damaged', 1, flippedPayloadBytes(built.entries[0]!.entry));
    const store = await provider.openSealed(INSTANCE, 'index-damaged');
    const damaged = withOverrides<EventStore>(store, {
      iterIndexKeys: async (kind: string) => {
        if (kind === INDEX_KIND_CLIENT_ORDER_ID) throw corruptedError('index row client_order_id="O-9" of run memory://x is malformed or fails its checksum');
        return store.iterIndexKeys(kind);
      },
    });
    const report = await new Verifier(damaged).verify();
    await store.close();
    expect(report.findings).toEqual([
      { kind: 'HashMismatch', seq: 1 },
      {
        kind: 'IndexUnreadable',
        indexKind: INDEX_KIND_CLIENT_ORDER_ID,
        reason: 'index row client_order_id="O-9" of run memory://x is malformed or fails its checksum',
      },
      { kind: 'IndexDrift', indexKind: INDEX_KIND_VENUE_ORDER_ID, key: 'V-1', drift: 'TargetCorrupted', storedSeq: 1 },
    ]);
  });

  test('an index listing that fails for another reason still fails the verify: no report can be produced', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'index-io', drafts: drafts(2), seal: 'Ended' });
    const store = await provider.openSealed(INSTANCE, 'index-io');
    const failing = withOverrides<EventStore>(store, { iterIndexKeys: async () => Promise.reject(diskError('EIO: i/o error')) });
    await expect(new Verifier(failing).verify()).rejects.toMatchObject({ code: 'DISK' });
    await store.close();
  });

  test('one missing row is a gap, not scanned, and its index key dangles', async () => {
    const provider = await threeEntryRun('gap');
    await provider.tamper!.deleteEntry(INSTANCE, 'gap', 2);
    const report = await verifySealed(provider, 'gap');
    expect(report.findings).toEqual([
      { kind: 'Gap', from: 2, to: 2 },
      { kind: 'IndexDrift', indexKind: INDEX_KIND_CLIENT_ORDER_ID, key: 'O-2', drift: 'DanglingTarget', storedSeq: 2 },
    ]);
    expect(report).toMatchObject({ entriesScanned: 2, highWatermark: 3 });
  });

  test.each([undefined, 2])('separate missing rows are separate gaps; contiguous ones merge (chunk size %s)', async (chunkSize) => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'gaps', drafts: drafts(8), seal: 'Ended' });
    for (const seq of [2, 4, 5, 6]) await provider.tamper!.deleteEntry(INSTANCE, 'gaps', seq);
    const report = await verifySealed(provider, 'gaps', chunkSize);
    expect(report.findings).toEqual([
      { kind: 'Gap', from: 2, to: 2 },
      { kind: 'Gap', from: 4, to: 6 },
    ]);
    expect(report).toMatchObject({ entriesScanned: 4, highWatermark: 8 });
  });

  test('a trailing gap: the hwm claims rows that are not there', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'short', drafts: drafts(3), seal: 'Ended' });
    const report = await verifyWrapped(provider, 'short', (store) => ({
      highWatermark: async () => 5,
      manifest: async () => ({ ...(await store.manifest()), highWatermark: 5 }),
    }));
    expect(report.findings).toEqual([{ kind: 'Gap', from: 4, to: 5 }]);
    expect(report).toMatchObject({ entriesScanned: 3, highWatermark: 5 });
  });

  test('a row moved under another key is a seq mismatch, and its index keys are TargetCorrupted', async () => {
    const provider = await threeEntryRun('moved');
    await provider.tamper!.overwriteEntry(INSTANCE, 'moved', 2, relocatedEntryBytes(draft(102n), 99));
    const report = await verifySealed(provider, 'moved');
    expect(report.findings).toEqual([
      { kind: 'SeqMismatch', tableKey: 2, embeddedSeq: 99 },
      { kind: 'IndexDrift', indexKind: INDEX_KIND_CLIENT_ORDER_ID, key: 'O-2', drift: 'TargetCorrupted', storedSeq: 2 },
    ]);
    expect(report.entriesScanned).toBe(3);
  });

  test('an undecodable row is a finding and the walk continues past it', async () => {
    const provider = createProvider();
    const built = await buildRun(provider, { runId: 'garbled', drafts: drafts(4), seal: 'Ended' });
    await provider.tamper!.overwriteEntry(INSTANCE, 'garbled', 2, new Uint8Array([0x54, 0x4c, 0x4f, 0x47, 1, 0]));
    await provider.tamper!.overwriteEntry(INSTANCE, 'garbled', 4, flippedPayloadBytes(built.entries[3]!.entry));
    const report = await verifySealed(provider, 'garbled');
    expect(report.findings.map((finding) => finding.kind)).toEqual(['UndecodableEntry', 'HashMismatch', 'ManifestMismatch']);
    expect(report.findings[0]).toMatchObject({ kind: 'UndecodableEntry', seq: 2 });
    expect((report.findings[0] as { reason: string }).reason).toContain('decode entry seq=2');
    expect(report.entriesScanned).toBe(4);
  });

  test('a read error that is not damage aborts: no report can be produced (hash scan and entry scan)', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'disk', drafts: drafts(2), seal: 'Ended' });
    const failing = async (): Promise<never> => {
      throw diskError('EIO');
    };
    await expect(verifyWrapped(provider, 'disk', () => ({ scanEntryHashes: failing }))).rejects.toMatchObject({ code: 'DISK' });
    await expect(verifyWrapped(provider, 'disk', () => ({ scanEntryHashes: undefined, scanRange: failing }))).rejects.toMatchObject({ code: 'DISK' });
  });

  test('a closed store (no run open) is an error, not a report', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'closed', drafts: drafts(1), seal: 'Ended' });
    const store = await provider.openSealed(INSTANCE, 'closed');
    await store.close();
    await expect(new Verifier(store).verify()).rejects.toMatchObject({ code: 'CLOSED' });
  });
});

describe('Verifier anchor, manifest and chain findings', () => {
  test('an undecodable anchor is a finding, not clean', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'anchor', drafts: drafts(2), anchor: { blobRef: 'b', contentHash: 'blake3:00' }, seal: 'Ended' });
    await provider.tamper!.overwriteAnchor(INSTANCE, 'anchor', new Uint8Array([9, 9, 9]));
    const report = await verifySealed(provider, 'anchor');
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]!.kind).toBe('SnapshotAnchorInvalid');
    expect((report.findings[0] as { reason: string }).reason).toContain('unreadable');
  });

  test('an anchor past the durable hwm (last row removed) is a finding', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'anchor', drafts: drafts(2), anchor: { blobRef: 'b', contentHash: 'blake3:00' }, seal: 'Ended' });
    await provider.tamper!.deleteEntry(INSTANCE, 'anchor', 2);
    const report = await verifySealed(provider, 'anchor');
    const anchorFinding = report.findings.find((finding) => finding.kind === 'SnapshotAnchorInvalid') as { reason: string };
    expect(anchorFinding.reason).toContain('exceeds durable');
  });

  test('a trimmed tail shows as hwm, end_ts_init and chain head mismatches', async () => {
    const provider = createProvider();
    const built = await buildRun(provider, { runId: 'trimmed', drafts: drafts(3), seal: 'Ended' });
    await provider.tamper!.deleteEntry(INSTANCE, 'trimmed', 3);
    const report = await verifySealed(provider, 'trimmed');
    expect(report.highWatermark).toBe(2);
    expect(report.findings).toEqual([
      { kind: 'ManifestMismatch', field: 'HighWatermark', reason: 'manifest high_watermark 3 disagrees with durable high_watermark 2' },
      { kind: 'ManifestMismatch', field: 'EndTsInit', reason: 'manifest end_ts_init 103 disagrees with last observed ts_init 102' },
      { kind: 'ChainHeadMismatch', manifestChainHead: built.chainHead, computedChainHead: report.chainHead },
    ]);
  });

  test('a chain head that differs from the recomputed one is a finding', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'chain', drafts: drafts(2), seal: 'Ended', chainHead: 'ab'.repeat(32) });
    const report = await verifySealed(provider, 'chain');
    expect(report.findings).toEqual([{ kind: 'ChainHeadMismatch', manifestChainHead: 'ab'.repeat(32), computedChainHead: report.chainHead }]);
  });

  test('manifest high_watermark drift names both numbers', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'drift', drafts: drafts(1), seal: 'Ended' });
    const report = await verifyWrapped(provider, 'drift', (store) => ({ manifest: async () => ({ ...(await store.manifest()), highWatermark: 99 }) }));
    expect(report.findings).toEqual([
      { kind: 'ManifestMismatch', field: 'HighWatermark', reason: 'manifest high_watermark 99 disagrees with durable high_watermark 1' },
    ]);
  });

  test('end_ts_init drift, missing end_ts_init and end_ts_init on an empty run are findings when sealed', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'ts', startTsInit: 1n, drafts: [draft(25n)], seal: 'Ended' });
    await buildRun(provider, { runId: 'empty', seal: 'Ended' });
    const drifted = await verifyWrapped(provider, 'ts', (store) => ({ manifest: async () => ({ ...(await store.manifest()), endTsInit: 99n }) }));
    expect(drifted.findings).toEqual([
      { kind: 'ManifestMismatch', field: 'EndTsInit', reason: 'manifest end_ts_init 99 disagrees with last observed ts_init 25' },
    ]);
    const missing = await verifyWrapped(provider, 'ts', (store) => ({ manifest: async () => ({ ...(await store.manifest()), endTsInit: undefined }) }));
    expect((missing.findings[0] as { reason: string }).reason).toBe('sealed manifest is missing end_ts_init while entries up to ts_init 25 exist');
    const onEmpty = await verifyWrapped(provider, 'empty', (store) => ({ manifest: async () => ({ ...(await store.manifest()), endTsInit: 77n }) }));
    expect((onEmpty.findings[0] as { reason: string }).reason).toBe('sealed manifest carries end_ts_init 77 despite empty entry table');
  });

  test('start_ts_init above the earliest entry is a finding; below it is fine', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'start', startTsInit: 5n, drafts: [draft(10n), draft(20n)], seal: 'Ended' });
    expect((await verifySealed(provider, 'start')).findings).toEqual([]);
    const report = await verifyWrapped(provider, 'start', (store) => ({ manifest: async () => ({ ...(await store.manifest()), startTsInit: 50n }) }));
    expect(report.findings).toEqual([
      { kind: 'ManifestMismatch', field: 'StartTsInit', reason: 'manifest start_ts_init 50 sits above earliest entry ts_init 10' },
    ]);
  });
});

describe('Verifier.openSealed', () => {
  test('rejects a Running run: it could race a live writer', async () => {
    const provider = createProvider();
    await buildRun(provider, { runId: 'running', drafts: drafts(1) });
    await expect(Verifier.openSealed(provider, INSTANCE, 'running')).rejects.toMatchObject({
      code: 'RUN_NOT_SEALED',
      message: expect.stringContaining('running'),
    });
  });

  test('rejects a missing run, naming it', async () => {
    await expect(Verifier.openSealed(createProvider(), INSTANCE, 'missing-run')).rejects.toMatchObject({
      code: 'RUN_NOT_FOUND',
      message: expect.stringContaining('missing-run'),
    });
  });
});

describe('formatFinding', () => {
  test.each<[VerifyFinding, string]>([
    [{ kind: 'HashMismatch', seq: 2 }, 'hash mismatch at seq 2'],
    [{ kind: 'Gap', from: 4, to: 6 }, 'gap from seq 4 to 6'],
    [{ kind: 'SeqMismatch', tableKey: 2, embeddedSeq: 99 }, 'seq mismatch at table key 2: embedded seq was 99'],
    [{ kind: 'UndecodableEntry', seq: 3, reason: 'decode entry seq=3: truncated' }, 'undecodable entry at seq 3: decode entry seq=3: truncated'],
    [
      { kind: 'IndexDrift', indexKind: INDEX_KIND_CLIENT_ORDER_ID, key: 'O-1', drift: 'DanglingTarget', storedSeq: 2 },
      'index drift ClientOrderId key=O-1: dangling target seq 2',
    ],
    [
      { kind: 'IndexDrift', indexKind: INDEX_KIND_VENUE_ORDER_ID, key: 'V-1', drift: 'TargetCorrupted', storedSeq: 1 },
      'index drift VenueOrderId key=V-1: corrupted target seq 1',
    ],
    [{ kind: 'IndexDrift', indexKind: 'custom_kind', key: 'K', drift: 'DanglingTarget', storedSeq: 5 }, 'index drift custom_kind key=K: dangling target seq 5'],
    [{ kind: 'IndexUnreadable', indexKind: INDEX_KIND_CLIENT_ORDER_ID, reason: 'r' }, 'index unreadable ClientOrderId: r'],
    [{ kind: 'ManifestMismatch', field: 'HighWatermark', reason: 'r' }, 'manifest mismatch HighWatermark: r'],
    [{ kind: 'SnapshotAnchorInvalid', reason: 'r' }, 'snapshot anchor invalid: r'],
    [
      { kind: 'ChainHeadMismatch', manifestChainHead: 'aa', computedChainHead: 'bb' },
      'chain head mismatch: manifest chain_head aa disagrees with recomputed bb',
    ],
  ])('%o → %s', (finding, line) => {
    expect(formatFinding(finding)).toBe(line);
  });
});
