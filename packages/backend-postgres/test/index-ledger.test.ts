/**
 * The index ledger on PostgreSQL (table layout 2): a seal with an integrity commitment stores
 * every index row as sealed, so verify names a vanished row by kind and key. A schema of layout 1
 * is migrated on first use, and its runs read and verify as before.
 */
import {
  buildAppendEntry,
  ChainHasher,
  computeRunIntegrity,
  type EventStoreProvider,
  INDEX_KIND_CLIENT_ORDER_ID,
  newManifest,
  TapelogError,
} from '@tapelog/core';
import { formatFinding, Verifier, type VerifyReport } from '@tapelog/recovery';
import { afterEach, expect, test } from 'vitest';
import { createProvider, type PostgresProvider, SCHEMA_VERSION } from '../src/index.js';
import { adminQuery, dropProvider, testProvider } from './helpers.js';

const INSTANCE = 'desk-1';
const providers: PostgresProvider[] = [];
afterEach(async () => {
  for (const provider of providers.splice(0).reverse()) await dropProvider(provider).catch(() => provider.close());
});

function tracked(provider: PostgresProvider): PostgresProvider {
  providers.push(provider);
  return provider;
}

/** A run of 12 entries, each with a client order id `C-<seq>`, sealed Ended with chain head and integrity commitment. */
async function sealedIndexedRun(provider: EventStoreProvider, runId: string): Promise<void> {
  const store = await provider.openRun(newManifest({ runId, instanceId: INSTANCE, startTsInit: 100n }));
  try {
    const chain = new ChainHasher();
    const entries = Array.from({ length: 12 }, (_, index) =>
      buildAppendEntry(
        {
          headers: {},
          topic: 'events.order',
          payloadType: 'OrderFilled',
          payload: new Uint8Array([index]),
          tsInit: 101n + BigInt(index),
          indexKeys: [{ kind: INDEX_KIND_CLIENT_ORDER_ID, key: `C-${index + 1}` }],
        },
        index + 1,
        102n + BigInt(index),
      ),
    );
    await store.appendBatch(entries);
    for (const { entry } of entries) chain.update(entry.entryHash);
    await store.seal('Ended', chain.headHex, await computeRunIntegrity(store));
  } finally {
    await store.close();
  }
}

async function verify(provider: EventStoreProvider, runId: string): Promise<VerifyReport> {
  const verifier = await Verifier.openSealed(provider, INSTANCE, runId);
  try {
    return await verifier.verify();
  } finally {
    await verifier.close();
  }
}

async function deleteIndexRow(schema: string, runId: string, key: string): Promise<void> {
  const { rowCount } = await adminQuery(
    `DELETE FROM "${schema}".index_rows WHERE run = (SELECT id FROM "${schema}".runs WHERE run_id = $1) AND kind = $2 AND key = $3`,
    [runId, INDEX_KIND_CLIENT_ORDER_ID, Buffer.from(key, 'utf8')],
  );
  expect(rowCount).toBe(1);
}

async function tablesOf(schema: string): Promise<string[]> {
  const { rows } = await adminQuery('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema]);
  return rows.map((row) => row.table_name as string);
}

async function layoutVersion(schema: string): Promise<string> {
  const { rows } = await adminQuery(`SELECT value FROM "${schema}".meta WHERE key = 'schema_version'`);
  return rows[0].value as string;
}

test('a deleted index row of a sealed run is named by kind and key', async () => {
  const provider = tracked(testProvider());
  expect(provider.capabilities.indexLedger).toBe(true);
  await sealedIndexedRun(provider, 'run-1');
  expect((await verify(provider, 'run-1')).findings).toEqual([]);
  await deleteIndexRow(provider.tables.schema, 'run-1', 'C-7');
  const report = await verify(provider, 'run-1');
  expect(report.findings).toContainEqual({
    kind: 'IndexMismatch',
    indexKind: INDEX_KIND_CLIENT_ORDER_ID,
    key: 'C-7',
    reason: 'sealed with seq 7, the row is gone',
  });
  expect(report.findings.map(formatFinding)).toContain('index mismatch ClientOrderId key=C-7: sealed with seq 7, the row is gone');
});

test('a schema of layout 1 is migrated on first use; its runs list and verify as before, and a run sealed before names index damage by kind only', async () => {
  const writer = tracked(testProvider());
  const { schema } = writer.tables;
  await sealedIndexedRun(writer, 'run-before');
  await writer.close();
  // Layout 1 is layout 2 without the ledger table, stamped 1: what a database written by the
  // previous release holds (its runs, rows and manifests are stored the same way).
  await adminQuery(`DROP TABLE "${schema}".index_ledgers`);
  await adminQuery(`UPDATE "${schema}".meta SET value = '1' WHERE key = 'schema_version'`);
  expect(await tablesOf(schema)).toEqual(['anchors', 'entries', 'index_rows', 'meta', 'runs']);

  const upgraded = tracked(createProvider({ ...writer.options }, { warn: () => undefined }));
  const listed = await upgraded.listRuns(INSTANCE);
  expect(listed.map((run) => [run.runId, run.status, run.highWatermark])).toEqual([['run-before', 'Ended', 12]]);
  expect(await layoutVersion(schema)).toBe(String(SCHEMA_VERSION));
  expect(await tablesOf(schema)).toEqual(['anchors', 'entries', 'index_ledgers', 'index_rows', 'meta', 'runs']);
  expect((await verify(upgraded, 'run-before')).findings).toEqual([]);

  // Sealed before the migration, the run has no ledger: the damaged kind is named, not the key.
  await deleteIndexRow(schema, 'run-before', 'C-7');
  const before = await verify(upgraded, 'run-before');
  expect(before.findings.length).toBeGreaterThan(0);
  for (const finding of before.findings) {
    expect(finding).toMatchObject({ kind: 'IndexMismatch', indexKind: INDEX_KIND_CLIENT_ORDER_ID });
    expect((finding as { key?: string }).key).toBeUndefined();
  }

  // A run sealed after the migration keeps its ledger.
  await sealedIndexedRun(upgraded, 'run-after');
  await deleteIndexRow(schema, 'run-after', 'C-3');
  expect((await verify(upgraded, 'run-after')).findings).toContainEqual(
    expect.objectContaining({ kind: 'IndexMismatch', indexKind: INDEX_KIND_CLIENT_ORDER_ID, key: 'C-3' }),
  );
});

test('a schema stamped with a newer layout is refused with CORRUPTED and left as it is', async () => {
  const provider = tracked(testProvider());
  await provider.listRuns(INSTANCE);
  const { schema } = provider.tables;
  await provider.close();
  await adminQuery(`UPDATE "${schema}".meta SET value = $1 WHERE key = 'schema_version'`, [String(SCHEMA_VERSION + 1)]);
  const newer = tracked(createProvider({ ...provider.options }, { warn: () => undefined }));
  const error = await newer.listRuns(INSTANCE).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(TapelogError.hasCode(error, 'CORRUPTED')).toBe(true);
  expect(await layoutVersion(schema)).toBe(String(SCHEMA_VERSION + 1));
});
