/**
 * The commitment a sealed run makes to its index rows and snapshot anchor, checked on real
 * LevelDB runs damaged on disk and through the backend's tamper hooks, and on memory runs whose
 * reads are made to disagree.
 */

import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProvider as createLevelProvider, runPath } from '@tapelog/backend-level';
import { createProvider as createMemoryProvider } from '@tapelog/backend-memory';
import {
  blake3,
  corruptedError,
  type EventStore,
  type EventStoreProvider,
  encodeAnchor,
  INDEX_KIND_CLIENT_ORDER_ID,
  INDEX_KIND_VENUE_ORDER_ID,
} from '@tapelog/core';
import { formatFinding, Verifier } from '@tapelog/recovery';
import { temporaryDirectory } from '@tapelog/test-support';
import { describe, expect, test } from 'vitest';
import { buildRun, draft, INSTANCE, withOverrides } from './helpers.js';

const ANCHOR = { blobRef: 'snapshots/1', contentHash: `blake3:${'ab'.repeat(32)}` };

/**
 * Entries with rows of three index kinds. With `randomKeys`, 120 of them with random hex client
 * order ids: LevelDB then stores those table blocks uncompressed, so a test can find a row's bytes.
 */
function indexedDrafts(randomKeys = false) {
  return Array.from({ length: randomKeys ? 120 : 12 }, (_, index) =>
    draft(101n + BigInt(index), {
      indexKeys: [
        randomKeys
          ? { kind: INDEX_KIND_CLIENT_ORDER_ID, key: randomBytes(24).toString('hex') }
          : { kind: index % 2 === 0 ? INDEX_KIND_CLIENT_ORDER_ID : INDEX_KIND_VENUE_ORDER_ID, key: `K-${index + 1}` },
        { kind: 'strategy_tag', key: `S-${index + 1}` },
      ],
    }),
  );
}

async function verify(provider: EventStoreProvider, runId: string) {
  const verifier = await Verifier.openSealed(provider, INSTANCE, runId);
  try {
    return await verifier.verify();
  } finally {
    await verifier.close();
  }
}

describe('integrity commitment on LevelDB runs', () => {
  async function sealedLevelRun(runId: string, randomKeys = false) {
    const baseDir = temporaryDirectory('tapelog-integrity-');
    const provider = createLevelProvider({ baseDir }, { warn: () => {} });
    await buildRun(provider, { runId, drafts: indexedDrafts(randomKeys), anchor: ANCHOR, seal: 'Ended' });
    return { provider, baseDir, location: runPath(baseDir, INSTANCE, runId) };
  }

  test('a clean sealed run commits to all three index kinds and its anchor, and verifies clean', async () => {
    const { provider } = await sealedLevelRun('1000-cleanrun');
    const report = await verify(provider, '1000-cleanrun');
    expect(report.findings).toEqual([]);
    expect(report.unchecked).toEqual([]);
    const manifest = (await provider.listRuns(INSTANCE))[0]!;
    expect(Object.keys(manifest.integrity!.indexKinds).sort()).toEqual([INDEX_KIND_CLIENT_ORDER_ID, 'strategy_tag', INDEX_KIND_VENUE_ORDER_ID]);
    expect(manifest.integrity!.indexKinds.strategy_tag!.rows).toBe(12);
    expect(manifest.integrity!.anchor).toMatch(/^[0-9a-f]{64}$/);
  });

  test('flipping the trailer type byte of one index row in a table file (the row becomes a tombstone) is an IndexMismatch naming the kind and the key', async () => {
    const { provider, location } = await sealedLevelRun('1000-flipped0', true);
    // A table stores each key's tail (what it does not share with the key before it), then the
    // internal-key trailer, whose first byte is the type (1 = value, 0 = deletion). The tail of
    // a random key is unique in the file.
    const setup = await provider.openSealed(INSTANCE, '1000-flipped0');
    const victim = (await setup.iterIndexKeys(INDEX_KIND_CLIENT_ORDER_ID)).map(([key]) => key).sort()[60]!;
    await setup.close();
    const userKey = Buffer.from(victim.slice(-32), 'latin1');
    let flipped = 0;
    for (const name of readdirSync(location).filter((file) => file.endsWith('.ldb'))) {
      const bytes = readFileSync(join(location, name));
      const at = bytes.indexOf(userKey);
      if (at < 0 || bytes[at + userKey.length] !== 0x01) continue;
      bytes[at + userKey.length] = 0x00;
      writeFileSync(join(location, name), bytes);
      flipped++;
    }
    expect(flipped).toBe(1);
    const visible = await provider.openSealed(INSTANCE, '1000-flipped0');
    expect(await visible.lookup(INDEX_KIND_CLIENT_ORDER_ID, victim)).toBeUndefined();
    await visible.close();
    const report = await verify(provider, '1000-flipped0');
    const sealedStore = await provider.openSealed(INSTANCE, '1000-flipped0');
    const victimSeq = (await sealedStore.sealedIndexRows!(INDEX_KIND_CLIENT_ORDER_ID))!.find(([key]) => key === victim)![1];
    await sealedStore.close();
    expect(report.findings).toEqual([
      {
        kind: 'IndexMismatch',
        indexKind: INDEX_KIND_CLIENT_ORDER_ID,
        reason: expect.stringContaining('119 rows found, 120 committed at seal (rows vanished)'),
      },
      { kind: 'IndexMismatch', indexKind: INDEX_KIND_CLIENT_ORDER_ID, key: victim, reason: `sealed with seq ${victimSeq}, the row is gone` },
    ]);
    expect(formatFinding(report.findings[0]!)).toMatch(/^index mismatch ClientOrderId: 119 rows found, 120 committed/);
    expect(formatFinding(report.findings[1]!)).toBe(`index mismatch ClientOrderId key=${victim}: sealed with seq ${victimSeq}, the row is gone`);
  });

  test('an anchor row altered through the tamper hooks is an AnchorMismatch', async () => {
    const { provider } = await sealedLevelRun('1000-anchored');
    // A well-formed anchor with another blob: only the commitment can tell it from the real one.
    const record = encodeAnchor({ ...ANCHOR, highWatermark: 12, blobRef: 'snapshots/forged' });
    const checksummed = Buffer.concat([blake3(record).subarray(0, 16), record]);
    await provider.tamper.overwriteAnchor(INSTANCE, '1000-anchored', checksummed);
    const report = await verify(provider, '1000-anchored');
    expect(report.findings).toEqual([{ kind: 'AnchorMismatch', reason: 'the snapshot anchor differs from the one committed at seal' }]);
    expect(formatFinding(report.findings[0]!)).toBe('snapshot anchor mismatch: the snapshot anchor differs from the one committed at seal');
  });
});

/** The rows of one kind as the sealed run lists them. */
async function verifierRows(provider: EventStoreProvider, kind: string) {
  const store = await provider.openSealed(INSTANCE, 'indexed');
  try {
    return await store.iterIndexKeys(kind);
  } finally {
    await store.close();
  }
}

/** The provider with every sealed store it opens answering some reads differently. */
function overriding(provider: EventStoreProvider, overrides: (store: EventStore) => Partial<EventStore>): EventStoreProvider {
  return withOverrides(provider, {
    openSealed: async (instanceId: string, runId: string) => {
      const store = await provider.openSealed(instanceId, runId);
      return withOverrides(store, overrides(store));
    },
  });
}

/** `lookup` and `lookupMany` answering through `answer`, as a store that offers both does. */
function lookups(answer: (kind: string, key: string) => Promise<number | undefined>): Partial<EventStore> {
  return { lookup: answer, lookupMany: async (kind, keys) => Promise.all(keys.map((key) => answer(kind, key))) };
}

describe('integrity commitment through the EventStore interface', () => {
  test('an anchor that is gone is an AnchorMismatch', async () => {
    const provider = createMemoryProvider();
    await buildRun(provider, { runId: 'anchored', drafts: indexedDrafts(), anchor: ANCHOR, seal: 'Ended' });
    const verifier = await Verifier.openSealed(
      overriding(provider, () => ({ latestSnapshotAnchor: async () => undefined })),
      INSTANCE,
      'anchored',
    );
    const report = await verifier.verify();
    await verifier.close();
    expect(report.findings).toEqual([{ kind: 'AnchorMismatch', reason: 'the snapshot anchor committed at seal is gone' }]);
  });

  test.each([
    [
      'a store with lookupMany',
      (store: EventStore): Partial<EventStore> =>
        lookups(async (kind, key) => (kind === 'strategy_tag' && key === 'S-3' ? undefined : store.lookup(kind, key))),
    ],
    [
      'a store with lookup only',
      (store: EventStore): Partial<EventStore> => ({
        lookupMany: undefined,
        lookup: async (kind, key) => (kind === 'strategy_tag' && key === 'S-3' ? undefined : store.lookup(kind, key)),
      }),
    ],
    [
      'a lookupMany that fails as CORRUPTED (the keys are looked up one by one)',
      (store: EventStore): Partial<EventStore> => ({
        lookupMany: async (kind, keys) => {
          if (kind === 'strategy_tag') throw corruptedError('an index row of the batch fails its checksum');
          return Promise.all(keys.map((key) => store.lookup(kind, key)));
        },
        lookup: async (kind, key) => (kind === 'strategy_tag' && key === 'S-3' ? undefined : store.lookup(kind, key)),
      }),
    ],
  ])('a row the listing shows but a lookup does not find is an IndexMismatch naming the kind and the key (%s)', async (_label, override) => {
    const provider = createMemoryProvider();
    await buildRun(provider, { runId: 'indexed', drafts: indexedDrafts(), seal: 'Ended' });
    const verifier = await Verifier.openSealed(overriding(provider, override), INSTANCE, 'indexed');
    const report = await verifier.verify();
    await verifier.close();
    expect(report.findings).toEqual([
      { kind: 'IndexMismatch', indexKind: 'strategy_tag', key: 'S-3', reason: 'listed with seq 3, but a lookup finds nothing' },
    ]);
  });

  test('above the lookup limit, rows are looked up as an evenly spread sample that keeps the first and the last', async () => {
    const provider = createMemoryProvider();
    await buildRun(provider, { runId: 'indexed', drafts: indexedDrafts(), seal: 'Ended' });
    const looked: string[] = [];
    const verifier = await Verifier.openSealed(
      overriding(provider, (store) =>
        lookups(async (kind, key) => {
          if (kind === 'strategy_tag') looked.push(key);
          return kind === 'strategy_tag' ? undefined : store.lookup(kind, key);
        }),
      ),
      INSTANCE,
      'indexed',
      { lookupRows: 4 },
    );
    const report = await verifier.verify();
    await verifier.close();
    const listed = (await verifierRows(provider, 'strategy_tag')).map(([key]) => key);
    expect(looked).toEqual([listed[0], listed[4], listed[7], listed[11]]);
    expect(report.findings.filter((finding) => finding.kind === 'IndexMismatch')).toHaveLength(4);
  });

  test.each([
    ['a ledger that does not match the commitment', async (): Promise<Array<[string, number]> | undefined> => [['S-1', 1]]],
    [
      'a ledger that cannot be decoded',
      async (): Promise<Array<[string, number]> | undefined> => Promise.reject(corruptedError('decode index ledger: checksum mismatch')),
    ],
    ['no ledger', async (): Promise<Array<[string, number]> | undefined> => undefined],
  ])('with %s, a changed kind is named by kind only', async (_label, sealedIndexRows) => {
    const provider = createMemoryProvider();
    await buildRun(provider, { runId: 'indexed', drafts: indexedDrafts(), seal: 'Ended' });
    const verifier = await Verifier.openSealed(
      overriding(provider, (store) => ({
        sealedIndexRows,
        iterIndexKeys: async (kind) => (await store.iterIndexKeys(kind)).filter(([key]) => key !== 'S-2'),
      })),
      INSTANCE,
      'indexed',
    );
    const report = await verifier.verify();
    await verifier.close();
    expect(report.findings.filter((finding) => finding.kind === 'IndexMismatch')).toEqual([
      { kind: 'IndexMismatch', indexKind: 'strategy_tag', reason: '11 rows found, 12 committed at seal (rows vanished)' },
    ]);
  });

  test('rows that appeared are named, up to 100 per kind, and the rest counted', async () => {
    const provider = createMemoryProvider();
    await buildRun(provider, { runId: 'indexed', drafts: indexedDrafts(), seal: 'Ended' });
    const extra = Array.from({ length: 130 }, (_, i): [string, number] => [`T-${String(i).padStart(3, '0')}`, 1]);
    const verifier = await Verifier.openSealed(
      overriding(provider, (store) => ({
        iterIndexKeys: async (kind) => [...(await store.iterIndexKeys(kind)), ...(kind === 'strategy_tag' ? extra : [])],
        ...lookups(async (kind, key) => (key.startsWith('T-') ? 1 : store.lookup(kind, key))),
      })),
      INSTANCE,
      'indexed',
    );
    const report = await verifier.verify();
    await verifier.close();
    const mismatches = report.findings.filter((finding) => finding.kind === 'IndexMismatch');
    expect(mismatches[0]).toEqual({ kind: 'IndexMismatch', indexKind: 'strategy_tag', reason: '142 rows found, 12 committed at seal (rows appeared)' });
    expect(mismatches.slice(1, 101)).toEqual(
      extra.slice(0, 100).map(([key]) => ({ kind: 'IndexMismatch', indexKind: 'strategy_tag', key, reason: 'not among the rows sealed, holds seq 1' })),
    );
    expect(mismatches.slice(101)).toEqual([{ kind: 'IndexMismatch', indexKind: 'strategy_tag', reason: '30 more rows differ from those sealed' }]);
  });

  test('a changed row (same count, other seq) is an IndexMismatch; a whole kind that vanished is one too', async () => {
    const provider = createMemoryProvider();
    await buildRun(provider, { runId: 'indexed', drafts: indexedDrafts(), seal: 'Ended' });
    const verifier = await Verifier.openSealed(
      overriding(provider, (store) => ({
        indexKinds: async () => (await store.indexKinds()).filter((kind) => kind !== INDEX_KIND_VENUE_ORDER_ID),
        iterIndexKeys: async (kind) =>
          kind === INDEX_KIND_VENUE_ORDER_ID ? [] : (await store.iterIndexKeys(kind)).map(([key, seq]): [string, number] => [key, key === 'S-5' ? 6 : seq]),
        ...lookups(async (kind, key) => (key === 'S-5' ? 6 : store.lookup(kind, key))),
      })),
      INSTANCE,
      'indexed',
    );
    const report = await verifier.verify();
    await verifier.close();
    const venueRows = (await verifierRows(provider, INDEX_KIND_VENUE_ORDER_ID)).sort(([a], [b]) => (a < b ? -1 : 1));
    expect(report.findings).toEqual([
      { kind: 'IndexMismatch', indexKind: INDEX_KIND_VENUE_ORDER_ID, reason: '0 rows found, 6 committed at seal (rows vanished)' },
      ...venueRows.map(([key, seq]) => ({
        kind: 'IndexMismatch',
        indexKind: INDEX_KIND_VENUE_ORDER_ID,
        key,
        reason: `sealed with seq ${seq}, the row is gone`,
      })),
      { kind: 'IndexMismatch', indexKind: 'strategy_tag', reason: expect.stringMatching(/^rows differ from those committed at seal \(12 rows/) },
      { kind: 'IndexMismatch', indexKind: 'strategy_tag', key: 'S-5', reason: 'sealed with seq 5, the row now holds seq 6' },
    ]);
  });

  test('a point read that disagrees with the range scan is a ReadMismatch', async () => {
    const provider = createMemoryProvider();
    await buildRun(provider, { runId: 'plain', drafts: indexedDrafts(), seal: 'Ended' });
    const verifier = await Verifier.openSealed(
      overriding(provider, (store) => ({ scanSeq: async (seq) => (seq === 12 ? store.scanSeq(11) : store.scanSeq(seq)) })),
      INSTANCE,
      'plain',
    );
    const report = await verifier.verify();
    await verifier.close();
    expect(report.findings).toEqual([{ kind: 'ReadMismatch', seq: 12, reason: 'the point read returned another entry than the range scan' }]);
  });

  test('a run sealed without a commitment verifies, saying what it could not check', async () => {
    const provider = createMemoryProvider();
    await buildRun(provider, { runId: 'old', drafts: indexedDrafts(), anchor: ANCHOR, seal: 'Ended', withoutIntegrity: true });
    const report = await verify(provider, 'old');
    expect(report.findings).toEqual([]);
    expect(report.unchecked).toEqual(['index-rows', 'snapshot-anchor']);
  });
});
