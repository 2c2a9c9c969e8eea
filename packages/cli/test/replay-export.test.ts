/** `tapelog replay` and `tapelog export` on real LevelDB runs; exports are read back with DuckDB and Arrow. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { createProvider } from '@tapelog/backend-level';
import { msgpackEncoder } from '@tapelog/capture';
import { type AppendEntry, buildAppendEntry, ChainHasher, encodeEntry, INDEX_KIND_CLIENT_ORDER_ID, newManifest, runEndedDraft } from '@tapelog/core';
import { temporaryDirectory } from '@tapelog/test-support';
import { tableFromIPC } from 'apache-arrow';
import { beforeAll, describe, expect, test, vi } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const INSTANCE = 'trader-001';
const COUNT = 3000;
const TOPICS = ['events.order.O-1', 'events.order.O-2', 'commands.trading'];
const CORRELATION = '6f1c2e8a-1b2c-4d3e-8f90-a1b2c3d4e5f6';
let baseDir: string;

function tapelog(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  expect(result.signal).toBeNull();
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const runDirectory = (runId: string) => join(baseDir, INSTANCE, `${runId}.level`);
const encode = msgpackEncoder<{ orderId: string; quantity: bigint }>();

/** `count` entries over three topics, msgpack payloads (an opaque one every 7th), a key every 10th, then RunEnded. */
function runEntries(count: number): AppendEntry[] {
  const appended: AppendEntry[] = [];
  for (let seq = 1; seq < count; seq++) {
    const payload = seq % 7 === 0 ? new Uint8Array([0xc1, seq & 0xff]) : Uint8Array.from(encode({ orderId: `O-${seq}`, quantity: BigInt(seq) }).payload);
    const indexKeys = seq % 10 === 0 ? [{ kind: INDEX_KIND_CLIENT_ORDER_ID, key: `O-${seq}` }] : [];
    const headers = seq % 2 === 0 ? { correlationId: CORRELATION } : {};
    appended.push(
      buildAppendEntry(
        { headers, topic: TOPICS[seq % TOPICS.length]!, payloadType: 'OrderFilled', payload, tsInit: 1000n + BigInt(seq), indexKeys },
        seq,
        2000n + BigInt(seq),
      ),
    );
  }
  appended.push(buildAppendEntry(runEndedDraft(1000n + BigInt(count)), count, 2000n + BigInt(count)));
  return appended;
}

async function makeRun(runId: string, count: number): Promise<AppendEntry[]> {
  const store = await createProvider({ baseDir }).openRun(newManifest({ runId, instanceId: INSTANCE, startTsInit: 1000n }));
  const appended = runEntries(count);
  await store.appendBatch(appended);
  const chain = new ChainHasher();
  for (const { entry } of appended) chain.update(entry.entryHash);
  await store.seal('Ended', chain.headHex);
  await store.close();
  return appended;
}

let appended: AppendEntry[];

beforeAll(async () => {
  baseDir = temporaryDirectory('tapelog-forensics-', 'file');
  appended = await makeRun('1000-forensic', COUNT);
  const damaged = await makeRun('2000-damaged0', 50);
  // One payload byte flipped on disk at seq 20: the row decodes, its hash no longer matches.
  const entry = damaged[19]!.entry;
  const payload = Uint8Array.from(entry.payload);
  payload[0] = payload[0]! ^ 0x01;
  await createProvider({ baseDir }).tamper.overwriteEntry(INSTANCE, '2000-damaged0', 20, encodeEntry({ ...entry, payload }));
});

// Each case spawns the command (and DuckDB reads files back); a loaded machine needs more than the default.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

describe('tapelog replay', () => {
  test('streams a seq range as JSON Lines, one object per entry, decoded where msgpack reads the payload', () => {
    const result = tapelog(['replay', runDirectory('1000-forensic'), '--from-seq', '5', '--to-seq', '14', '--json', '--decode', 'msgpack']);
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.seq)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(lines[0]).toMatchObject({ topic: TOPICS[5 % 3], payloadType: 'OrderFilled', payload: { orderId: 'O-5', quantity: '5' } });
    // seq 7 is not MessagePack: bytes only.
    expect(lines[2]!.payload).toBeUndefined();
    expect(lines[2]!.payloadBase64).toBe(Buffer.from([0xc1, 7]).toString('base64'));
    expect(lines[1]!.headers).toEqual({ correlationId: CORRELATION });
  });

  test('without --decode a payload stays base64; RunStarted/RunEnded are always decoded', () => {
    const result = tapelog(['replay', runDirectory('1000-forensic'), '--from-seq', '2999', '--json']);
    const lines = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.seq)).toEqual([2999, 3000]);
    expect(lines[0]!.payload).toBeUndefined();
    expect(lines[1]).toMatchObject({ payloadType: 'RunEnded', payload: null });
  });

  test('filters by topic and prints text lines by default', () => {
    const result = tapelog(['replay', runDirectory('1000-forensic'), '--to-seq', '12', '--topic', 'commands.trading']);
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .trimEnd()
        .split('\n')
        .map((line) => /^seq=(\d+) /.exec(line)![1]),
    ).toEqual(['2', '5', '8', '11']);
  });

  test.each([
    [['--from-seq', '0', '--to-seq', '5'], 'error code=INVALID_SEQ_RANGE: invalid replay seq range 0..=5: seq is 1-based\n'],
    [['--from-seq', '9', '--to-seq', '3'], 'error code=INVALID_SEQ_RANGE: invalid replay seq range 9..=3: from_seq exceeds to_seq\n'],
  ])('a bad range %j exits 2 with one line on stderr and nothing on stdout', (range, line) => {
    const result = tapelog(['replay', runDirectory('1000-forensic'), ...range]);
    expect(result).toEqual({ code: 2, stdout: '', stderr: line });
  });

  test('a range past the high-watermark is clipped, not an error', () => {
    const result = tapelog(['replay', runDirectory('1000-forensic'), '--from-seq', '4000', '--to-seq', '5000']);
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('a flipped payload byte stops the replay with exit 1 naming the seq', () => {
    const result = tapelog(['replay', runDirectory('2000-damaged0'), '--json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`corrupt path=${runDirectory('2000-damaged0')} code=HASH_MISMATCH error="entry hash mismatch at seq 20"\n`);
  });
});

async function duckdbRows(sql: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRows() as unknown[][];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('tapelog export', () => {
  test('Parquet read back by DuckDB equals a scan of the run: count, seq bounds, topic histogram, columns', async () => {
    const out = join(baseDir, 'run.parquet');
    const result = tapelog(['export', runDirectory('1000-forensic'), '--format', 'parquet', '--out', out, '--decode', 'msgpack', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ rows: COUNT, format: 'parquet', path: out });
    const file = `read_parquet('${out}')`;
    expect(await duckdbRows(`select count(*), min(seq), max(seq) from ${file}`)).toEqual([[BigInt(COUNT), BigInt(1), BigInt(COUNT)]]);
    const histogram: Record<string, number> = {};
    for (const { entry } of appended) histogram[entry.topic] = (histogram[entry.topic] ?? 0) + 1;
    const rows = await duckdbRows(`select topic, count(*) from ${file} group by topic order by topic`);
    expect(Object.fromEntries(rows.map(([topic, count]) => [topic, Number(count)]))).toEqual(histogram);
    const [row] = await duckdbRows(
      `select seq, ts_init, ts_publish, payload_type, correlation_id, entry_hash, index_keys, json_extract_string(payload_json, '$.orderId'), payload from ${file} where seq = 10`,
    );
    const entry = appended[9]!.entry;
    expect(row!.slice(0, 8)).toEqual([
      10n,
      entry.tsInit,
      entry.tsPublish,
      'OrderFilled',
      CORRELATION,
      Buffer.from(entry.entryHash).toString('hex'),
      'client_order_id:O-10',
      'O-10',
    ]);
    expect(Buffer.from((row![8] as { bytes: Uint8Array }).bytes)).toEqual(Buffer.from(entry.payload));
    // Absent headers, index keys and undecodable payloads are NULL, not empty strings.
    const withCorrelation = appended.filter(({ entry: e }) => e.headers.correlationId !== undefined).length;
    const decodable = appended.filter(({ entry: e }) => e.seq % 7 !== 0 && e.payloadType === 'OrderFilled').length + 1;
    expect(await duckdbRows(`select count(correlation_id), count(causation_id), count(index_keys), count(payload_json) from ${file}`)).toEqual([
      [BigInt(withCorrelation), 0n, BigInt(Math.floor((COUNT - 1) / 10)), BigInt(decodable)],
    ]);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  test('a seq range exports only that range; Arrow and JSON Lines carry the same rows', async () => {
    const arrow = join(baseDir, 'range.arrow');
    const jsonl = join(baseDir, 'range.jsonl');
    expect(tapelog(['export', runDirectory('1000-forensic'), '--format', 'arrow', '--out', arrow, '--from-seq', '100', '--to-seq', '199']).code).toBe(0);
    expect(tapelog(['export', runDirectory('1000-forensic'), '--format', 'jsonl', '--out', jsonl, '--from-seq', '100', '--to-seq', '199']).code).toBe(0);
    const table = tableFromIPC(readFileSync(arrow));
    expect(table.numRows).toBe(100);
    expect(Array.from(table.getChild('seq')!.toArray() as BigInt64Array, Number)).toEqual(Array.from({ length: 100 }, (_, index) => 100 + index));
    const lines = readFileSync(jsonl, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.seq)).toEqual(Array.from({ length: 100 }, (_, index) => 100 + index));
    expect(await duckdbRows(`select count(*), sum(seq) from read_json('${jsonl}')`)).toEqual([[100n, 14950n]]);
    expect(lines[0]).toMatchObject({ topic: table.getChild('topic')!.get(0), entry_hash: table.getChild('entry_hash')!.get(0) });
    const parquet = join(baseDir, 'range.parquet');
    expect(tapelog(['export', runDirectory('1000-forensic'), '--format', 'parquet', '--out', parquet, '--from-seq', '100', '--to-seq', '199']).code).toBe(0);
    expect(await duckdbRows(`select count(*), sum(seq), min(entry_hash) from read_parquet('${parquet}') where seq = 100`)).toEqual([
      [1n, 100n, lines[0]!.entry_hash],
    ]);
    expect(await duckdbRows(`select count(*), sum(seq) from read_parquet('${parquet}')`)).toEqual([[100n, 14950n]]);
  });

  test('a damaged run exits 1 and leaves no output file behind', () => {
    const out = join(baseDir, 'damaged.parquet');
    const result = tapelog(['export', runDirectory('2000-damaged0'), '--format', 'parquet', '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('code=HASH_MISMATCH');
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  test('a bad range or format exits 2 before writing anything', () => {
    const out = join(baseDir, 'never.parquet');
    expect(tapelog(['export', runDirectory('1000-forensic'), '--format', 'parquet', '--out', out, '--from-seq', '0'])).toMatchObject({
      code: 2,
      stderr: 'error code=INVALID_SEQ_RANGE: invalid replay seq range 0..=9007199254740991: seq is 1-based\n',
    });
    expect(tapelog(['export', runDirectory('1000-forensic'), '--format', 'csv', '--out', out]).code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  describe('an output that cannot be written', () => {
    const FORMATS = ['parquet', 'arrow', 'jsonl'];

    /** One line on stderr naming the file and the system error, no stack, exit 2, nothing left behind. */
    function expectWriteFailure(result: ReturnType<typeof tapelog>, out: string, systemCode: string) {
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(systemCode);
      expect(result.stderr).toContain(out);
      expect(existsSync(out)).toBe(false);
      expect(existsSync(`${out}.partial`)).toBe(false);
    }

    test.each(FORMATS)('a missing output directory: %s exits 2 with one line naming the file', (format) => {
      const out = join(baseDir, 'no-such-directory', `run.${format}`);
      expectWriteFailure(tapelog(['export', runDirectory('1000-forensic'), '--format', format, '--out', out]), out, 'ENOENT');
    });

    test.for(FORMATS)('a disk that fills during the export: %s exits 2 with one line naming the file', (format, context) => {
      const mountPoint = join(baseDir, `full-${format}`);
      mkdirSync(mountPoint);
      const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=24k', 'tmpfs', mountPoint], { encoding: 'utf8' });
      if (mounted.status !== 0) {
        context.skip(`needs a tmpfs mount (root): ${mounted.error?.message ?? mounted.stderr.trim()}`);
        return;
      }
      try {
        const out = join(mountPoint, `run.${format}`);
        expectWriteFailure(tapelog(['export', runDirectory('1000-forensic'), '--format', format, '--out', out]), out, 'ENOSPC');
      } finally {
        spawnSync('umount', [mountPoint]);
      }
    });
  });
});
