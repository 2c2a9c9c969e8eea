/** Runs the built `tapelog` binary against real LevelDB runs in a temporary directory. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createProvider } from '@tapelog/backend-level';
import {
  type AppendEntry,
  buildAppendEntry,
  ChainHasher,
  computeRunIntegrity,
  computeSnapshotContentHash,
  encodeEntry,
  INDEX_KIND_CLIENT_ORDER_ID,
  newManifest,
  runEndedDraft,
  type SealedRunStatus,
} from '@tapelog/core';
import { newMarkerManifest } from '@tapelog/markers';
import { computeMarkerHash } from '@tapelog/markers/store';
import { LevelMarkerBackend, markersPath } from '@tapelog/markers-level';
import { temporaryDirectory } from '@tapelog/test-support';
import { beforeAll, describe, expect, test } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const INSTANCE = 'trader-001';
let baseDir: string;

function tapelog(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    // A guard for the test itself: the command must finish long before this.
    timeout: 30_000,
  });
  expect(result.signal).toBeNull();
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Preloads the test-only module that makes the verify worker crash or hang on request. */
const WORKER_HOOK = { NODE_OPTIONS: `--import=${pathToFileURL(fileURLToPath(new URL('./fixtures/verify-worker-hook.mjs', import.meta.url))).href}` };

const runDirectory = (runId: string) => join(baseDir, INSTANCE, `${runId}.level`);

function entries(count: number, startTsInit: bigint): AppendEntry[] {
  return Array.from({ length: count }, (_, index) => {
    const seq = index + 1;
    const indexKeys = seq === 2 ? [{ kind: INDEX_KIND_CLIENT_ORDER_ID, key: 'O-2' }] : [];
    const draft = {
      headers: {},
      topic: 'events.order',
      payloadType: 'OrderFilled',
      payload: new Uint8Array([seq, 1, 2, 3]),
      tsInit: startTsInit + BigInt(seq),
      indexKeys,
    };
    return seq === count
      ? buildAppendEntry(runEndedDraft(startTsInit + BigInt(seq)), seq, startTsInit + 1000n + BigInt(seq))
      : buildAppendEntry(draft, seq, startTsInit + 1000n + BigInt(seq));
  });
}

interface RunOptions {
  status?: SealedRunStatus;
  startTsInit?: bigint;
  parentRunId?: string;
  anchored?: boolean;
  /** Seal without the integrity commitment, as runs sealed before manifest record version 2 were. */
  withoutIntegrity?: boolean;
}

async function makeRun(runId: string, count: number, options: RunOptions = {}): Promise<{ chainHead: string; appended: AppendEntry[] }> {
  const provider = createProvider({ baseDir });
  const startTsInit = options.startTsInit ?? 1000n;
  const store = await provider.openRun(newManifest({ runId, instanceId: INSTANCE, startTsInit, parentRunId: options.parentRunId }));
  const appended = entries(count, startTsInit);
  if (count > 0) await store.appendBatch(appended);
  if (options.anchored) await store.recordSnapshotAnchor({ highWatermark: 1, blobRef: 'blob-1', contentHash: computeSnapshotContentHash(new Uint8Array([1])) });
  const chain = new ChainHasher();
  for (const { entry } of appended) chain.update(entry.entryHash);
  if (options.status !== undefined)
    await store.seal(options.status, chain.headHex, options.withoutIntegrity === true ? undefined : await computeRunIntegrity(store));
  await store.close();
  return { chainHead: chain.headHex, appended };
}

beforeAll(async () => {
  baseDir = temporaryDirectory('tapelog-cli-', 'file');
  await makeRun('1000-clean', 3, { status: 'Ended', startTsInit: 1000n, anchored: true });
  const flipped = await makeRun('2000-flipped', 3, { status: 'Ended', startTsInit: 2000n, parentRunId: '1000-clean' });
  // One payload byte flipped on disk: the row still decodes, its hash no longer matches.
  const entry = flipped.appended[1]!.entry;
  const payload = Uint8Array.from(entry.payload);
  payload[0] = payload[0]! ^ 0x01;
  await createProvider({ baseDir }).tamper.overwriteEntry(INSTANCE, '2000-flipped', 2, encodeEntry({ ...entry, payload }));
  await makeRun('3000-running', 2, { startTsInit: 3000n });
  await makeRun('4000-markerok', 3, { status: 'Ended', startTsInit: 4000n });
  await markerSidecar('4000-markerok', false);
  await makeRun('5000-markerbad', 3, { status: 'Ended', startTsInit: 5000n });
  await markerSidecar('5000-markerbad', true);
}, 30_000);

/**
 * A sealed marker sidecar beside a run, with one snapshot row; `damaged` writes that row twice
 * under one key, so the stored count no longer matches the rows (one finding of the marker verifier).
 */
async function markerSidecar(runId: string, damaged: boolean): Promise<void> {
  const backend = await LevelMarkerBackend.open(markersPath(baseDir, INSTANCE, runId), newMarkerManifest(runId, ['Quote'], false));
  const snapshot = { markerSeq: 1, eventSeqBefore: 1, tsInit: 1n, advanced: [{ slot: 0, tsInitHi: 5n, count: 1 }] };
  await backend.appendSnapshot(snapshot, computeMarkerHash(snapshot));
  if (damaged) await backend.appendSnapshot(snapshot, computeMarkerHash(snapshot));
  await backend.seal('Ended');
  await backend.close();
}

describe('tapelog itself', () => {
  test('--version prints the package version and exits 0', () => {
    const { version } = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) expect(tapelog([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  test('--help prints the usage on stdout and exits 0; no command is a usage error (exit 2)', () => {
    const help = tapelog(['--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^usage:\n/);
    expect(tapelog([]).code).toBe(2);
  });
});

describe('tapelog verify', () => {
  test('a run sealed without an integrity commitment is clean and says what could not be checked', async () => {
    const { chainHead } = await makeRun('0600-uncommitted', 3, { status: 'Ended', startTsInit: 600n, withoutIntegrity: true });
    const result = tapelog(['verify', runDirectory('0600-uncommitted')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `clean run_id=0600-uncommitted status=Ended high_watermark=3 entries_scanned=3 unchecked=index-rows,snapshot-anchor markers=absent chain_head=${chainHead}\n`,
    );
  });

  test('a clean run exits 0 with the clean line, chain head included, and nothing on stderr', async () => {
    const { chainHead } = await makeRun('0500-verify-clean', 3, { status: 'Ended', startTsInit: 500n });
    const result = tapelog(['verify', runDirectory('0500-verify-clean')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`clean run_id=0500-verify-clean status=Ended high_watermark=3 entries_scanned=3 markers=absent chain_head=${chainHead}\n`);
    expect(result.stderr).toBe('');
  });

  test('one flipped payload byte exits 1, names the seq, and does not quarantine', () => {
    const result = tapelog(['verify', runDirectory('2000-flipped')]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('corrupt run_id=2000-flipped status=Ended high_watermark=3 entries_scanned=3 markers=absent findings=2 quarantine=not-performed');
    expect(lines.slice(1)).toEqual(['- hash mismatch at seq 2', '- index drift ClientOrderId key=O-2: corrupted target seq 2']);
    expect(result.stderr).toBe('');
  });

  test('a missing run exits 2 with an error line on stderr and nothing on stdout', () => {
    const result = tapelog(['verify', runDirectory('9999-missing')]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`error path=${runDirectory('9999-missing')}`);
    expect(result.stderr).toContain('no run file');
  });

  test('a Running run exits 2: it must be recovered before it is verified', () => {
    const result = tapelog(['verify', runDirectory('3000-running')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not sealed');
  });

  test('a path that is not a run directory is a usage error (exit 2)', () => {
    const result = tapelog(['verify', baseDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not a run directory');
  });

  test('the published worker has no test hook: the variable alone changes nothing', () => {
    const result = tapelog(['verify', runDirectory('1000-clean')], { TAPELOG_VERIFY_TEST_HOOK: 'crash' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^clean /);
  });

  test('a worker that crashes exits 1 with a clear line', () => {
    const result = tapelog(['verify', runDirectory('1000-clean')], { ...WORKER_HOOK, TAPELOG_VERIFY_TEST_HOOK: 'crash' });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      `corrupt path=${runDirectory('1000-clean')} worker_status="verify worker crashed: killed by signal SIGKILL" quarantine=not-performed\n`,
    );
  });

  test('a worker that hangs is killed at the timeout: exit 1, and the parent returns', () => {
    const result = tapelog(['verify', runDirectory('1000-clean')], { ...WORKER_HOOK, TAPELOG_VERIFY_TEST_HOOK: 'hang', TAPELOG_VERIFY_TIMEOUT_SECS: '1' });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(`corrupt path=${runDirectory('1000-clean')} worker_status="timeout after 1s" quarantine=not-performed\n`);
  });

  test('--json prints one object with the report and the chain head', () => {
    const result = tapelog(['verify', runDirectory('2000-flipped'), '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { result: string; findings: Array<{ kind: string; seq?: number; text: string }>; quarantine: string };
    expect(report.result).toBe('corrupt');
    expect(report.quarantine).toBe('not-performed');
    expect(report.findings[0]).toEqual({ kind: 'HashMismatch', seq: 2, text: 'hash mismatch at seq 2' });
    const clean = JSON.parse(tapelog(['verify', runDirectory('1000-clean'), '--json']).stdout) as { result: string; chainHead: string; highWatermark: number };
    expect(clean).toMatchObject({ result: 'clean', highWatermark: 3 });
    expect(clean.chainHead).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('tapelog verify with a marker sidecar', () => {
  test('a run without a sidecar says markers=absent', () => {
    const result = tapelog(['verify', runDirectory('1000-clean')]);
    expect(result.stdout).toMatch(/^clean .* markers=absent chain_head=/);
    expect(JSON.parse(tapelog(['verify', runDirectory('1000-clean'), '--json']).stdout)).toMatchObject({
      result: 'clean',
      markers: { state: 'absent', findings: 0 },
    });
  });

  test('a clean sidecar is checked with the run: markers=clean, exit 0', () => {
    const result = tapelog(['verify', runDirectory('4000-markerok')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^clean .* markers=clean chain_head=/);
    const json = JSON.parse(tapelog(['verify', runDirectory('4000-markerok'), '--json']).stdout) as {
      result: string;
      markers: { state: string; findings: number; verification: { verdict: string } };
    };
    expect(json).toMatchObject({ result: 'clean', markers: { state: 'clean', findings: 0, verification: { verdict: 'clean' } } });
  });

  test('a corrupt sidecar makes a clean run corrupt: exit 1, markers=corrupt with its findings counted and listed', () => {
    const result = tapelog(['verify', runDirectory('5000-markerbad')]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^corrupt run_id=5000-markerbad .* markers=corrupt marker_findings=1 findings=0 quarantine=not-performed$/);
    expect(lines.slice(1).every((line) => line.startsWith('- markers: '))).toBe(true);
    expect(lines.some((line) => line.includes('finding='))).toBe(true);
    const json = JSON.parse(tapelog(['verify', runDirectory('5000-markerbad'), '--json']).stdout) as {
      result: string;
      findings: unknown[];
      markers: { state: string; findings: number };
    };
    expect(json).toMatchObject({ result: 'corrupt', findings: [], markers: { state: 'corrupt', findings: 1 } });
  });
});

describe('tapelog runs', () => {
  test('--json lists each run manifest with status, parent, high-watermark and chain head', () => {
    const result = tapelog(['runs', baseDir, INSTANCE, '--json']);
    expect(result.code).toBe(0);
    const runs = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    const byId = new Map(runs.map((run) => [run.runId, run]));
    expect(byId.get('2000-flipped')).toMatchObject({ status: 'Ended', parentRunId: '1000-clean', highWatermark: 3, startTsInit: '2000' });
    expect(byId.get('1000-clean')!.chainHead).toMatch(/^[0-9a-f]{64}$/);
    expect(byId.get('3000-running')).toMatchObject({ status: 'Running', parentRunId: null, chainHead: null });
    const starts = runs.map((run) => BigInt(run.startTsInit as string));
    expect([...starts].sort((a, b) => (a < b ? -1 : 1))).toEqual(starts);
  });

  test('prints one line per run, oldest first', () => {
    const result = tapelog(['runs', baseDir, INSTANCE]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('2000-flipped status=Ended start_ts_init=2000 end_ts_init=2003 high_watermark=3 parent_run_id=1000-clean chain_head=');
    expect(result.stdout.indexOf('1000-clean')).toBeLessThan(result.stdout.indexOf('3000-running'));
  });

  test('a run never fully created is listed as Incomplete and left where it is: only the recovery sweep sets it aside', () => {
    const location = join(baseDir, 'half-made', '7000-halfmade.level');
    mkdirSync(location, { recursive: true });
    writeFileSync(join(location, 'LOCK'), '');
    writeFileSync(join(location, '000001.log'), '');
    const result = tapelog(['runs', baseDir, 'half-made']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`7000-halfmade status=Incomplete location=${location} (never fully created; kept for an operator)\n`);
    expect(result.stderr).toBe('');
    expect(JSON.parse(tapelog(['runs', baseDir, 'half-made', '--json']).stdout)).toEqual([{ runId: '7000-halfmade', status: 'Incomplete', location }]);
    expect(existsSync(location)).toBe(true);
  });

  test('an unknown instance lists nothing', () => {
    const result = tapelog(['runs', baseDir, 'nobody', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
  });
});

describe('tapelog scan and lookup', () => {
  test('scan prints every entry in seq order; --from/--to narrow it; --reverse reverses it', () => {
    const seqsPrinted = (stdout: string) =>
      stdout
        .trimEnd()
        .split('\n')
        .map((line) => line.split(' ')[0]);
    const all = tapelog(['scan', runDirectory('1000-clean')]);
    expect(all.code).toBe(0);
    expect(seqsPrinted(all.stdout)).toEqual(['seq=1', 'seq=2', 'seq=3']);
    expect(all.stdout).toContain('seq=3 ts_init=1003 ts_publish=2003 topic=run.lifecycle.RunEnded payload_type=RunEnded payload_bytes=0');
    const window = tapelog(['scan', runDirectory('1000-clean'), '--from', '2', '--to=2']);
    expect(window.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(window.stdout).toMatch(/^seq=2 /);
    const reversed = tapelog(['scan', runDirectory('1000-clean'), '--reverse']);
    expect(seqsPrinted(reversed.stdout)).toEqual(['seq=3', 'seq=2', 'seq=1']);
  });

  test('scan --json prints one object per line with the payload in base64', () => {
    const result = tapelog(['scan', runDirectory('1000-clean'), '--json', '--to', '1']);
    const entry = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(entry).toMatchObject({ seq: 1, tsInit: '1001', topic: 'events.order', payloadBase64: Buffer.from([1, 1, 2, 3]).toString('base64') });
  });

  test('scan over a damaged row exits 1 naming the problem', () => {
    const result = tapelog(['scan', runDirectory('2000-flipped')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('entry hash mismatch at seq 2');
  });

  test('scan --json over a damaged row ends with a JSON line naming it and still exits 1', () => {
    const result = tapelog(['scan', runDirectory('2000-flipped'), '--json']);
    expect(result.code).toBe(1);
    const lines = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.at(-1)).toEqual({
      result: 'corrupt',
      path: runDirectory('2000-flipped'),
      code: 'HASH_MISMATCH',
      seq: 2,
      error: 'entry hash mismatch at seq 2',
    });
    // Entries are checked a chunk at a time: only rows before the damaged one's chunk are printed.
    for (const line of lines.slice(0, -1)) expect(line.seq).toBeLessThan(2);
  });

  test('lookup finds the first seq of a key (exit 0) and says when it is absent (exit 1)', () => {
    const found = tapelog(['lookup', runDirectory('1000-clean'), INDEX_KIND_CLIENT_ORDER_ID, 'O-2']);
    expect(found.code).toBe(0);
    expect(found.stdout).toMatch(/^seq=2 /);
    const json = JSON.parse(tapelog(['lookup', runDirectory('1000-clean'), INDEX_KIND_CLIENT_ORDER_ID, 'O-2', '--json']).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ found: true, seq: 2 });
    const missing = tapelog(['lookup', runDirectory('1000-clean'), INDEX_KIND_CLIENT_ORDER_ID, 'O-404']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe(`not-found kind=${INDEX_KIND_CLIENT_ORDER_ID} key=O-404\n`);
  });
});

describe('tapelog retention', () => {
  test('plans without deleting: bounded:0 keeps only the known-good restore point', () => {
    const result = tapelog(['retention', baseDir, INSTANCE, '--mode', 'bounded:0']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^keep 1000-clean status=Ended anchor=valid anchor_high_watermark=1 /m);
    expect(result.stdout).toMatch(/^reclaim 2000-flipped status=Ended anchor=missing /m);
    expect(result.stdout).not.toContain('3000-running');
    expect(result.stdout).toContain('deleted=0 (planning only)');
    // Planning deleted nothing: every run is still listed.
    expect(tapelog(['runs', baseDir, INSTANCE]).stdout).toContain('2000-flipped');
  });

  test('--json lists sealed runs and candidates', () => {
    const plan = JSON.parse(tapelog(['retention', baseDir, INSTANCE, '--mode', 'snapshot-anchored', '--json']).stdout) as {
      reclaimCandidates: Array<{ runId: string }>;
      sealedRuns: Array<{ runId: string }>;
    };
    expect(plan.reclaimCandidates.map((run) => run.runId)).not.toContain('1000-clean');
    expect(plan.sealedRuns.map((run) => run.runId)).toContain('1000-clean');
  });

  test('an unknown mode is a usage error', () => {
    const result = tapelog(['retention', baseDir, INSTANCE, '--mode', 'forever']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown retention mode');
  });
});

describe('tapelog usage', () => {
  test('no command or an unknown one exits 2 with the usage text', () => {
    expect(tapelog([]).code).toBe(2);
    const unknown = tapelog(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('usage:');
  });
});
