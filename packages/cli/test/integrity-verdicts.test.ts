/**
 * `tapelog verify` on sealed runs whose rows outside the entry chain were damaged for real: an
 * index row turned into a tombstone by one flipped byte in a table file, an anchor row lost the
 * same way, and an anchor forged through the backend's tamper hooks. Each exits 1 naming what.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProvider, runPath } from '@tapelog/backend-level';
import {
  blake3,
  buildAppendEntry,
  computeRunIntegrity,
  computeSnapshotContentHash,
  encodeAnchor,
  INDEX_KIND_CLIENT_ORDER_ID,
  newManifest,
} from '@tapelog/core';
import { temporaryDirectory } from '@tapelog/test-support';
import { beforeAll, expect, test } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const INSTANCE = 'trader-001';
let baseDir: string;
const keys = Array.from({ length: 120 }, () => randomBytes(24).toString('hex'));
const ANCHOR = { highWatermark: 120, blobRef: 'snapshots/120', contentHash: computeSnapshotContentHash(new Uint8Array([7])) };

function verify(runId: string, json = false) {
  const result = spawnSync(process.execPath, [BIN, 'verify', runPath(baseDir, INSTANCE, runId), ...(json ? ['--json'] : [])], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * A sealed run of 120 entries with random payloads and random hex client order ids, and an anchor:
 * LevelDB then stores its table blocks uncompressed, so a test can find a row's bytes.
 */
async function sealedRun(runId: string): Promise<string> {
  const provider = createProvider({ baseDir }, { warn: () => {} });
  const store = await provider.openRun(newManifest({ runId, instanceId: INSTANCE, startTsInit: 100n }));
  await store.appendBatch(
    keys.map((key, index) =>
      buildAppendEntry(
        {
          headers: {},
          topic: 'events.order',
          payloadType: 'OrderFilled',
          payload: randomBytes(64),
          tsInit: 101n + BigInt(index),
          indexKeys: [{ kind: INDEX_KIND_CLIENT_ORDER_ID, key }],
        },
        index + 1,
        1000n,
      ),
    ),
  );
  await store.recordSnapshotAnchor(ANCHOR);
  await store.seal('Ended', undefined, await computeRunIntegrity(store));
  await store.close();
  // Reopening compacts the write-ahead log into a table file.
  await (await provider.openSealed(INSTANCE, runId)).close();
  return runPath(baseDir, INSTANCE, runId);
}

/**
 * Turns the row whose stored key ends with `keyTail` into a tombstone: in a table file the
 * internal-key trailer follows the key, and its first byte is the type (1 = value, 0 = deletion).
 */
function tombstone(location: string, keyTail: Buffer, at: (bytes: Buffer) => number): void {
  let flipped = 0;
  for (const name of readdirSync(location).filter((file) => file.endsWith('.ldb'))) {
    const bytes = readFileSync(join(location, name));
    const found = at(bytes);
    if (found < 0 || bytes[found + keyTail.length] !== 0x01) continue;
    bytes[found + keyTail.length] = 0x00;
    writeFileSync(join(location, name), bytes);
    flipped++;
  }
  expect(flipped).toBe(1);
}

/** Where the key `a` of the first row of a table starts, or -1. */
function firstAnchorKey(bytes: Buffer): number {
  for (let at = 0; at < 32; at++) {
    if (bytes[at] !== 0x00 || bytes[at + 1] !== 0x09) continue;
    let key = at + 2;
    while ((bytes[key]! & 0x80) !== 0) key++;
    if (bytes[key + 1] === 0x61) return key + 1;
  }
  return -1;
}

beforeAll(async () => {
  baseDir = temporaryDirectory('tapelog-cli-integrity-', 'file');
  const indexRun = await sealedRun('1000-indexrow');
  const victim = Buffer.from([...keys].sort()[60]!.slice(-32), 'latin1');
  tombstone(indexRun, victim, (bytes) => bytes.indexOf(victim));
  // The anchor row `a` is the first key of the first table block: shared 0, key length 9 (`a` and
  // the trailer), the value length (a varint), then `a` itself. A compressed block keeps its first
  // bytes as a literal, so they are found the same way a few bytes in.
  const anchorRun = await sealedRun('2000-lostanch');
  tombstone(anchorRun, Buffer.from('a'), firstAnchorKey);
  await sealedRun('3000-forgedan');
  const forged = encodeAnchor({ ...ANCHOR, blobRef: 'snapshots/forged' });
  await createProvider({ baseDir }).tamper.overwriteAnchor(INSTANCE, '3000-forgedan', Buffer.concat([blake3(forged).subarray(0, 16), forged]));
}, 60_000);

test('an index row turned into a tombstone in a table file: exit 1, an index mismatch naming the kind and the key', () => {
  const victim = [...keys].sort()[60]!;
  const result = verify('1000-indexrow');
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/^corrupt run_id=1000-indexrow .* findings=2 /);
  expect(result.stdout).toContain('- index mismatch ClientOrderId: 119 rows found, 120 committed at seal (rows vanished)');
  expect(result.stdout).toMatch(new RegExp(`- index mismatch ClientOrderId key=${victim}: sealed with seq \\d+, the row is gone`));
  const json = JSON.parse(verify('1000-indexrow', true).stdout) as { result: string; findings: Array<{ kind: string; indexKind: string }> };
  expect(json.result).toBe('corrupt');
  expect(json.findings).toEqual([
    expect.objectContaining({ kind: 'IndexMismatch', indexKind: INDEX_KIND_CLIENT_ORDER_ID }),
    expect.objectContaining({ kind: 'IndexMismatch', indexKind: INDEX_KIND_CLIENT_ORDER_ID, key: victim }),
  ]);
});

test('an anchor row lost the same way: exit 1, naming the anchor', () => {
  const result = verify('2000-lostanch');
  expect(result.code).toBe(1);
  expect(result.stdout).toContain('- snapshot anchor mismatch: the snapshot anchor committed at seal is gone');
  expect(JSON.parse(verify('2000-lostanch', true).stdout)).toMatchObject({ result: 'corrupt', findings: [{ kind: 'AnchorMismatch' }] });
});

test('an anchor forged through the tamper hooks: exit 1, naming the anchor', () => {
  const result = verify('3000-forgedan');
  expect(result.code).toBe(1);
  expect(result.stdout).toContain('- snapshot anchor mismatch: the snapshot anchor differs from the one committed at seal');
});
