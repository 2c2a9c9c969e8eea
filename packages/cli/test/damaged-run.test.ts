/**
 * Every `tapelog` command on a run whose tables make LevelDB abort its reader (damaged for real
 * on disk): a sealed run gives exit 1 and one `corrupt … code=CORRUPTED` line, a crashed run
 * exit 2 and one error line; no command dies with the reader, and no core file is left behind.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProvider, damageEntryTableKeys, runPath } from '@tapelog/backend-level';
import { type AppendEntry, buildAppendEntry, computeRunIntegrity, INDEX_KIND_CLIENT_ORDER_ID, newManifest } from '@tapelog/core';
import { recoverPredecessors } from '@tapelog/recovery';
import { temporaryDirectory } from '@tapelog/test-support';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const INSTANCE = 'trader-001';
const SWEPT_INSTANCE = 'trader-002';
let baseDir: string;
let workDirectory: string;

/**
 * Runs the built binary with core dumps allowed (as on an operator's machine that keeps them),
 * from an empty directory, so a core file the command left would show there.
 */
function tapelog(args: string[]) {
  const result = spawnSync('/bin/sh', ['-c', 'ulimit -c unlimited 2>/dev/null; exec "$0" "$@"', process.execPath, BIN, ...args], {
    encoding: 'utf8',
    cwd: workDirectory,
    timeout: 60_000,
  });
  expect(result.signal).toBeNull();
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function drafts(): AppendEntry[] {
  return Array.from({ length: 60 }, (_, index) => {
    const seq = index + 1;
    const draft = {
      headers: {},
      topic: 'events.order',
      payloadType: 'OrderFilled',
      payload: new Uint8Array(600).fill(seq),
      tsInit: 100n + BigInt(seq),
      indexKeys: [{ kind: INDEX_KIND_CLIENT_ORDER_ID, key: `O-${seq}` }],
    };
    return buildAppendEntry(draft, seq, 1000n + BigInt(seq));
  });
}

async function damagedRun(runId: string, sealed: boolean, instanceId = INSTANCE): Promise<string> {
  const provider = createProvider({ baseDir }, { warn: () => {} });
  const store = await provider.openRun(newManifest({ runId, instanceId, startTsInit: 100n }));
  const entries = drafts();
  for (let index = 0; index < entries.length; index += 10) await store.appendBatch(entries.slice(index, index + 10));
  if (sealed) await store.seal('CrashedRecovered', undefined, await computeRunIntegrity(store));
  await store.close();
  const location = runPath(baseDir, instanceId, runId);
  expect(await damageEntryTableKeys(location)).toBeGreaterThan(0);
  return location;
}

let sealedRun: string;
let crashedRun: string;
let quarantinedRun: string;

beforeAll(async () => {
  baseDir = temporaryDirectory('tapelog-cli-damaged-', 'file');
  workDirectory = temporaryDirectory('tapelog-cli-cwd-', 'file');
  sealedRun = await damagedRun('1000-sealed00', true);
  crashedRun = await damagedRun('2000-crashed0', false);
  // Left to the recovery sweep, which reads it in a child, sees the child die and marks it Quarantined.
  quarantinedRun = await damagedRun('3000-quarant0', false, SWEPT_INSTANCE);
  const provider = createProvider({ baseDir }, { warn: () => {} });
  const isolation = { backend: { module: import.meta.resolve('@tapelog/backend-level'), options: { baseDir } } };
  const outcome = await recoverPredecessors(provider, SWEPT_INSTANCE, { logger: () => {}, isolation });
  expect(outcome.recovered.map((run) => run.status)).toEqual(['Quarantined']);
});

afterAll(() => {
  expect(readdirSync(workDirectory).filter((name) => name.startsWith('core'))).toEqual([]);
});

const readingCommands = (run: string, out: string): Array<[string, string[]]> => [
  ['scan', ['scan', run]],
  ['replay', ['replay', run]],
  ['export', ['export', run, '--format', 'jsonl', '--out', join(out, 'export.jsonl')]],
  ['lookup', ['lookup', run, INDEX_KIND_CLIENT_ORDER_ID, 'O-30']],
];

describe('a sealed run whose reads abort LevelDB', () => {
  for (const [name, args] of readingCommands('SEALED', 'OUT')) {
    test(`${name} exits 1 with one corrupt line naming the run`, { timeout: 60_000 }, () => {
      const result = tapelog(args.map((argument) => argument.replace('SEALED', sealedRun).replace('OUT', workDirectory)));
      expect(result.code).toBe(1);
      expect(result.stderr.trimEnd().split('\n')).toEqual([
        expect.stringMatching(new RegExp(`^corrupt path=${sealedRun} code=CORRUPTED error=".*killed by SIGABRT`)),
      ]);
    });
  }

  test('verify exits 1: its worker crashed', { timeout: 60_000 }, () => {
    const result = tapelog(['verify', sealedRun]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`corrupt path=${sealedRun}`);
    expect(result.stdout).toContain('SIGABRT');
  });

  test('runs still lists it from its manifest copy', { timeout: 60_000 }, () => {
    const result = tapelog(['runs', baseDir, INSTANCE]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1000-sealed00 status=CrashedRecovered');
  });

  test('runs lists the crashed run too: reading its durable high-watermark kills only that reader, the stored figure stays', { timeout: 60_000 }, () => {
    const result = tapelog(['runs', baseDir, INSTANCE]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^2000-crashed0 status=Running .* high_watermark=0 /m);
    expect(result.stderr).toMatch(/^warning: the durable high-watermark of Running run 2000-crashed0 could not be read: .*SIGABRT/m);
  });
});

describe('a crashed run whose reads abort LevelDB', () => {
  for (const [name, args] of [...readingCommands('CRASHED', 'OUT'), ['verify', ['verify', 'CRASHED']] as [string, string[]]]) {
    test(`${name} exits 2 with one error line: the run must be recovered first`, { timeout: 60_000 }, () => {
      const result = tapelog(args.map((argument) => argument.replace('CRASHED', crashedRun).replace('OUT', workDirectory)));
      expect(result.code).toBe(2);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(crashedRun);
    });
  }
});

describe('a crashed run the recovery sweep marked Quarantined because its reading killed the reader', () => {
  test('runs lists it Quarantined', { timeout: 60_000 }, () => {
    const result = tapelog(['runs', baseDir, SWEPT_INSTANCE]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('3000-quarant0 status=Quarantined');
  });

  for (const [name, args] of [...readingCommands('QUARANTINED', 'OUT'), ['verify', ['verify', 'QUARANTINED']] as [string, string[]]]) {
    test(`${name} exits 1 with one line: the run is damaged, not waiting for recovery`, { timeout: 60_000 }, () => {
      const result = tapelog(args.map((argument) => argument.replace('QUARANTINED', quarantinedRun).replace('OUT', workDirectory)));
      expect(result.code).toBe(1);
      const output = name === 'verify' ? result.stdout : result.stderr;
      expect(output.trimEnd().split('\n')).toEqual([
        expect.stringMatching(new RegExp(`^corrupt path=${quarantinedRun} .*marked Quarantined without being opened`)),
      ]);
    });
  }
});
