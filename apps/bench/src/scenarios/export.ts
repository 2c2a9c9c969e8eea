/**
 * `tapelog export` to Parquet on the 1,000,000-entry LevelDB run the target is defined on: export
 * rate end to end (process start to exit), Parquet size against the run's size on disk, and a
 * DuckDB read-back whose count, seq bounds and per-topic histogram must equal a scan of the run.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createProvider, runPath } from '@tapelog/backend-level';
import { EventStoreReader } from '@tapelog/core';
import { buildLevelRun } from '../level-runs.js';
import type { Scenario } from '../scenario.js';
import { median, perSecond } from '../stats.js';

const INSTANCE = 'bench-export';
const RUN_ID = '1000-export00';
const PAYLOAD_BYTES = 128;
const TOPICS = ['events.order.O-1', 'events.order.O-2', 'events.position.P-1', 'commands.trading', 'events.account.A-1'];

function directoryBytes(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    total += entry.isDirectory() ? directoryBytes(child) : statSync(child).size;
  }
  return total;
}

interface Summary {
  count: number;
  minSeq: number;
  maxSeq: number;
  topics: Record<string, number>;
}

async function scanSummary(baseDir: string): Promise<Summary> {
  const store = await createProvider({ baseDir }, { warn: () => {} }).openSealed(INSTANCE, RUN_ID);
  const summary: Summary = { count: 0, minSeq: Number.MAX_SAFE_INTEGER, maxSeq: 0, topics: {} };
  try {
    for await (const chunk of new EventStoreReader(store).scanChunks(1)) {
      for (const entry of chunk) {
        summary.count++;
        summary.minSeq = Math.min(summary.minSeq, entry.seq);
        summary.maxSeq = Math.max(summary.maxSeq, entry.seq);
        summary.topics[entry.topic] = (summary.topics[entry.topic] ?? 0) + 1;
      }
    }
  } finally {
    await store.close();
  }
  return summary;
}

async function duckdbSummary(file: string): Promise<Summary> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const quoted = `'${file.replaceAll("'", "''")}'`;
    const [row] = (await connection.runAndReadAll(`select count(*), min(seq), max(seq) from read_parquet(${quoted})`)).getRows();
    const topics: Record<string, number> = {};
    for (const [topic, count] of (await connection.runAndReadAll(`select topic, count(*) from read_parquet(${quoted}) group by topic`)).getRows()) {
      topics[String(topic)] = Number(count);
    }
    return { count: Number(row![0]), minSeq: Number(row![1]), maxSeq: Number(row![2]), topics };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function sameSummary(left: Summary, right: Summary): boolean {
  const topics = (summary: Summary) => JSON.stringify(Object.entries(summary.topics).sort(([a], [b]) => a.localeCompare(b)));
  return left.count === right.count && left.minSeq === right.minSeq && left.maxSeq === right.maxSeq && topics(left) === topics(right);
}

export const scenario: Scenario = {
  name: 'export',
  description: '`tapelog export --format parquet` rate, file size and DuckDB read-back on a LevelDB run',
  async run({ full, scratchDir }) {
    const count = 1_000_000;
    const repetitions = full ? 3 : 1;
    const baseDir = join(scratchDir, 'runs');
    const provider = createProvider({ baseDir }, { warn: () => {} });
    await buildLevelRun(provider, {
      instanceId: INSTANCE,
      runId: RUN_ID,
      startTsInit: 1000n,
      count,
      crash: false,
      payloadBytes: PAYLOAD_BYTES,
      topicOf: (seq) => TOPICS[seq % TOPICS.length]!,
    });
    const runDirectory = runPath(baseDir, INSTANCE, RUN_ID);
    const bin = join(dirname(createRequire(import.meta.url).resolve('@tapelog/cli/package.json')), 'dist', 'bin.js');
    const out = join(scratchDir, 'export.parquet');
    const rates: number[] = [];
    for (let repetition = 0; repetition < repetitions; repetition++) {
      const start = process.hrtime.bigint();
      const result = spawnSync(process.execPath, [bin, 'export', runDirectory, '--format', 'parquet', '--out', out], { encoding: 'utf8' });
      const ns = Number(process.hrtime.bigint() - start);
      if (result.status !== 0) throw new Error(`tapelog export exited ${result.status}: ${result.stdout}${result.stderr}`);
      rates.push(perSecond(count, ns));
    }
    const parquetBytes = statSync(out).size;
    const runBytes = directoryBytes(runDirectory);
    const scanned = await scanSummary(baseDir);
    const readBack = await duckdbSummary(out);
    if (!sameSummary(scanned, readBack)) throw new Error(`DuckDB read-back differs from the scan: ${JSON.stringify({ scanned, readBack })}`);

    const note = `LevelDB run of ${count.toLocaleString('en-US')} entries, ${PAYLOAD_BYTES}-byte payloads, ${TOPICS.length} topics, an index key on every tenth`;
    return {
      figures: [
        {
          name: '`tapelog export --format parquet` end to end',
          value: median(rates),
          unit: 'entries/s',
          target: { value: 300_000, kind: 'min', source: 'forensics issue' },
          note: `${note}; process start to exit; median of ${repetitions}`,
        },
        {
          name: 'Parquet file size / run size on disk',
          value: parquetBytes / runBytes,
          unit: 'ratio',
          note: `${parquetBytes} bytes of Parquet (zstd) for ${runBytes} bytes of LevelDB run`,
        },
      ],
      details: { rates, parquetBytes, runBytes, count, repetitions, duckdb: readBack },
    };
  },
};
