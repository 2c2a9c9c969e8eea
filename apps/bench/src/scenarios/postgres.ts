/**
 * The PostgreSQL backend: durable appends through the worker writer at batch 512 beside raw `pg`
 * inserting the same encoded rows in transactions of 512 (same run, same server), the aggregate
 * rate of 1, 2 and 4 concurrent writers on one database, and verify speed on a PostgreSQL run.
 * Uses TAPELOG_PG_URL when set, else a throwaway cluster (tooling/postgres-cluster).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProvider } from '@tapelog/backend-postgres';
import { buildAppendEntry, type EntryDraft, encodeEntry, newManifest, RealtimeClock, runEndedDraft } from '@tapelog/core';
import { Verifier } from '@tapelog/recovery';
import { type EventStoreWriter, type HaltReason, spawnWriter } from '@tapelog/writer';
import pg from 'pg';
import type { Figure, Scenario } from '../scenario.js';
import { median, perSecond, timeNs } from '../stats.js';

const BATCH = 512;
const PAYLOAD_BYTES = 200;
const CLUSTER = fileURLToPath(new URL('../../../../tooling/postgres-cluster', import.meta.url));
const MODULE = import.meta.resolve('@tapelog/backend-postgres');
let runCounter = 0;

function sampleDraft(): EntryDraft {
  const payload = new Uint8Array(PAYLOAD_BYTES);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 31) & 0xff;
  return { headers: {}, topic: 'events.order.O-1', payloadType: 'OrderFilled', payload, tsInit: 1_700_000_000_000_000_000n, indexKeys: [] };
}

/** A server for the scenario: the given one, or a throwaway cluster that `stop` removes. */
function startServer(scratchDir: string): { url: string; stop: () => void } {
  const given = process.env.TAPELOG_PG_URL;
  if (given) return { url: given, stop: () => undefined };
  const directory = join(scratchDir, 'postgres');
  mkdirSync(directory, { recursive: true });
  chmodSync(directory, 0o755);
  chmodSync(scratchDir, 0o755);
  const url = execFileSync(CLUSTER, ['start', directory], { encoding: 'utf8' }).trim();
  return {
    url,
    stop: () => {
      execFileSync(CLUSTER, ['stop', directory]);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

async function openWriter(url: string, schema: string, halts: HaltReason[]): Promise<EventStoreWriter> {
  const manifest = newManifest({ runId: `run-${++runCounter}`, instanceId: 'bench', startTsInit: BigInt(runCounter) });
  return spawnWriter({
    backend: { module: MODULE, options: { connectionString: url, schema } },
    manifest,
    config: { maxBatchEntries: BATCH, channelCapacity: 16_384, haltThresholdMs: 30_000 },
    clock: new RealtimeClock(),
    onHalt: (reason) => halts.push(reason),
  });
}

/** Submits `count` entries keeping at most 8,192 waiting, and waits until all are durable. */
async function writeThrough(writer: EventStoreWriter, count: number): Promise<void> {
  const draft = sampleDraft();
  const base = writer.acceptedSeq;
  for (let i = 0; i < count; i++) {
    if (writer.acceptedSeq - writer.highWatermark >= 8192) await writer.waitForDurable(writer.highWatermark + 1);
    writer.submit(draft);
  }
  await writer.waitForDurable(base + count);
}

/** Entries each writer makes durable before it is timed: its thread starts cold (JIT). */
const WARM_UP_ENTRIES = 5_000;

/** Entries/s of `writers` concurrent warmed-up writers, `count` entries each; sealed afterwards. */
async function writersRate(url: string, schema: string, writers: number, count: number, halts: HaltReason[]): Promise<number> {
  const opened = await Promise.all(Array.from({ length: writers }, () => openWriter(url, schema, halts)));
  await Promise.all(opened.map((writer) => writeThrough(writer, WARM_UP_ENTRIES)));
  const ns = await timeNs(() => Promise.all(opened.map((writer) => writeThrough(writer, count))));
  await Promise.all(opened.map((writer) => writer.close(runEndedDraft(0n))));
  return perSecond(writers * count, ns);
}

/**
 * Raw pg: the same encoded rows, one transaction of BATCH rows each, inserted the fastest way
 * measured without extra packages (one binary parameter cut by offsets, as the backend does; a
 * `bytea[]` parameter is about half as fast).
 */
async function rawRate(url: string, schema: string, count: number): Promise<number> {
  const draft = sampleDraft();
  const rows: Buffer[] = [];
  for (let seq = 1; seq <= count; seq++) rows.push(Buffer.from(encodeEntry(buildAppendEntry(draft, seq, 1n).entry)));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `CREATE TABLE IF NOT EXISTS "${schema}".raw_entries (run integer NOT NULL, seq bigint NOT NULL, entry bytea NOT NULL, PRIMARY KEY (run, seq))`,
    );
    const run = ++runCounter;
    return perSecond(
      count,
      await timeNs(async () => {
        for (let at = 0; at < count; at += BATCH) {
          const batch = rows.slice(at, at + BATCH);
          const offsets: number[] = [];
          const lengths: number[] = [];
          let offset = 0;
          for (const row of batch) {
            offsets.push(offset);
            lengths.push(row.length);
            offset += row.length;
          }
          await client.query(
            `INSERT INTO "${schema}".raw_entries (run, seq, entry) SELECT $1, $2 + n, substring($3::bytea FROM o + 1 FOR l) FROM unnest($4::int[], $5::int[]) WITH ORDINALITY AS t(o, l, n)`,
            [run, at, Buffer.concat(batch), offsets, lengths],
          );
        }
      }),
    );
  } finally {
    await client.end();
  }
}

export const scenario: Scenario = {
  name: 'postgres',
  description: 'PostgreSQL backend: writer at batch 512 vs raw pg, 1/2/4 concurrent writers, verify speed',
  async run({ full, scratchDir }) {
    const count = full ? 200_000 : 10_000;
    const repetitions = full ? 5 : 3;
    const server = startServer(scratchDir);
    const schema = `bench_${process.pid}`;
    const provider = createProvider({ connectionString: server.url, schema }, { warn: () => undefined });
    const halts: HaltReason[] = [];
    try {
      await provider.listRuns('bench'); // creates the schema
      const writerRates: number[] = [];
      const rawRates: number[] = [];
      const ratios: number[] = [];
      for (let repetition = -1; repetition < repetitions; repetition++) {
        const writer = await writersRate(server.url, schema, 1, count, halts);
        const raw = await rawRate(server.url, schema, count);
        if (repetition < 0) continue;
        writerRates.push(writer);
        rawRates.push(raw);
        ratios.push(writer / raw);
      }
      const concurrent: Record<number, number> = {};
      for (const writers of [1, 2, 4]) concurrent[writers] = await writersRate(server.url, schema, writers, Math.round(count / 2), halts);
      // The first sealed run (a single writer's, `count` entries plus RunEnded) is verified.
      const verifyRates: number[] = [];
      for (let repetition = 0; repetition < repetitions; repetition++) {
        let scanned = 0;
        const ns = await timeNs(async () => {
          const verifier = await Verifier.openSealed(provider, 'bench', 'run-1');
          try {
            scanned = (await verifier.verify()).entriesScanned;
          } finally {
            await verifier.close();
          }
        });
        verifyRates.push(perSecond(scanned, ns));
      }
      const note = `batch ${BATCH}, ${count} entries per sample, ${PAYLOAD_BYTES}-byte payload, one transaction per batch, ${server.url.includes('127.0.0.1') ? 'local server over TCP' : 'given server'}`;
      const figures: Figure[] = [
        { name: 'writer → PostgreSQL batch=512 (median)', value: median(writerRates), unit: 'entries/s', note },
        { name: 'raw pg transactions of 512 (median)', value: median(rawRates), unit: 'entries/s', note },
        {
          name: 'writer / raw pg batch=512 (median of paired ratios)',
          value: median(ratios),
          unit: 'ratio',
          target: { value: 0.8, kind: 'min', source: 'backend-postgres issue' },
          note,
        },
        ...[1, 2, 4].map((writers) => ({
          name: `${writers} concurrent writer(s), aggregate`,
          value: concurrent[writers]!,
          unit: 'entries/s',
          note: `${Math.round(count / 2)} entries each`,
        })),
        { name: 'verify a PostgreSQL run (median)', value: median(verifyRates), unit: 'entries/s', note: `${WARM_UP_ENTRIES + count + 1} entries` },
      ];
      if (halts.length > 0) figures.push({ name: 'writer halts (must be 0)', value: halts.length, unit: 'count', note: JSON.stringify(halts[0]) });
      return { figures, details: { writerRates, rawRates, ratios, concurrent, verifyRates, repetitions } };
    } finally {
      await provider.close();
      server.stop();
    }
  },
};
