/**
 * tapelog beside the physical limit and beside what a user would pick instead: the same
 * tapelog-encoded entries (200-byte and 2 KiB payloads), one durable commit per batch of 1, 100,
 * 512 and 4096, written by tapelog's `appendBatch`, raw classic-level, raw lmdb-js, raw SQLite and
 * Emmett, and by a plain file with one fdatasync per batch (the disk's ceiling), interleaved in
 * the same run so drift in the disk hits every store alike, each sample
 * starting from a flushed disk.
 */
import { mkdirSync } from 'node:fs';
import { formatValue } from '../format-value.js';
import { recordingLateStoreErrors } from '../late-store-errors.js';
import { emmettMemory } from '../peer-stores/emmett-memory.js';
import { emmettSqlite } from '../peer-stores/emmett-sqlite.js';
import type { PeerStore } from '../peer-stores/peer-store.js';
import { rawBetterSqlite3 } from '../peer-stores/raw-better-sqlite3.js';
import { rawClassicLevel } from '../peer-stores/raw-classic-level.js';
import { rawFileFdatasync } from '../peer-stores/raw-file-fdatasync.js';
import { rawLmdb } from '../peer-stores/raw-lmdb.js';
import { samplePeerStore as sample } from '../peer-stores/sample-peer-store.js';
import { tapelogLevel } from '../peer-stores/tapelog-level.js';
import { buildWorkload } from '../peer-stores/workload.js';
import type { Chart, Figure, Scenario, ScenarioOptions, ScenarioResult, Table } from '../scenario.js';
import { median } from '../stats.js';

const STORES: readonly PeerStore[] = [tapelogLevel, rawClassicLevel, rawLmdb, rawBetterSqlite3, emmettSqlite, emmettMemory, rawFileFdatasync];
const BATCH_SIZES = [1, 100, 512, 4096] as const;
const PAYLOAD_SIZES = [200, 2048] as const;

/** Commits per sample: batch 1 pays one fsync per entry, so few; big batches reach steady state in a few commits. */
function commitsPerSample(batchSize: number, full: boolean): number {
  const short = batchSize === 1 ? 40 : batchSize === 100 ? 40 : batchSize === 512 ? 16 : 4;
  return full ? short * 4 : short;
}

function payloadLabel(bytes: number): string {
  return bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes}-byte`;
}

interface StoreState {
  store: PeerStore;
  /** Set when the store could not even write the warm-up: it is reported, not retried. */
  error?: string;
  /** Failures at one payload and batch size (`200/4096`): that cell is reported, the others still run. */
  failures: Map<string, string>;
}

function firstLine(error: Error): string {
  return `${error.message.split('\n')[0]}`;
}

export const scenario: Scenario = {
  name: 'peers',
  description:
    'durable appends, identical entries: tapelog vs raw classic-level, raw lmdb-js, raw SQLite (better-sqlite3) and Emmett, batch 1/100/512/4096, 200 B and 2 KiB payloads',
  async run(options) {
    const { result, lateErrors } = await recordingLateStoreErrors(() => runPeers(options));
    if (lateErrors.length > 0) result.details = { ...result.details, lateStoreErrors: lateErrors };
    return result;
  },
};

async function runPeers({ full, scratchDir }: ScenarioOptions): Promise<ScenarioResult> {
  const repetitions = full ? 9 : 5;
  const states: StoreState[] = STORES.map((store) => ({ store, failures: new Map() }));
  const figures: Figure[] = [];
  const tables: Table[] = [];
  const charts: Chart[] = [];
  const details: Record<string, unknown> = { repetitions, durability: Object.fromEntries(STORES.map((store) => [store.name, store.durability])) };
  mkdirSync(scratchDir, { recursive: true });

  // One untimed round so native modules load and code warms before anything counts.
  const warmUp = buildWorkload(200, 100, 3);
  for (const state of states) {
    state.store.prepare?.(warmUp.batches);
    const outcome = await sample(state.store, warmUp, scratchDir);
    if (outcome instanceof Error) state.error = firstLine(outcome);
  }

  for (const payloadBytes of PAYLOAD_SIZES) {
    const rates = new Map<string, Map<number, number[]>>(states.map((state) => [state.store.name, new Map()]));
    const pairedRatios = new Map<number, number[]>();
    let encodedEntryBytes = 0;
    for (const batchSize of BATCH_SIZES) {
      const workload = buildWorkload(payloadBytes, batchSize, commitsPerSample(batchSize, full));
      encodedEntryBytes = workload.encodedEntryBytes;
      for (const state of states) state.store.prepare?.(workload.batches);
      const ratios: number[] = [];
      for (let repetition = 0; repetition < repetitions; repetition++) {
        // Rotate who goes first, so no store always runs on the disk the previous one left busy.
        const order = states.map((_, index) => states[(index + repetition) % states.length]!);
        const round = new Map<string, number>();
        const cell = `${payloadBytes}/${batchSize}`;
        for (const state of order) {
          if (state.error !== undefined || state.failures.has(cell)) continue;
          const outcome = await sample(state.store, workload, scratchDir);
          if (outcome instanceof Error) state.failures.set(cell, firstLine(outcome));
          else round.set(state.store.name, outcome);
        }
        for (const [name, rate] of round) {
          const perBatch = rates.get(name)!;
          perBatch.set(batchSize, [...(perBatch.get(batchSize) ?? []), rate]);
        }
        const tapelogRate = round.get(tapelogLevel.name);
        const rawRate = round.get(rawClassicLevel.name);
        if (tapelogRate !== undefined && rawRate !== undefined) ratios.push(tapelogRate / rawRate);
      }
      pairedRatios.set(batchSize, ratios);
    }

    const medianOf = (name: string, batchSize: number): number => median(rates.get(name)?.get(batchSize) ?? []);
    const label = payloadLabel(payloadBytes);
    const note = (batchSize: number): string =>
      `${label} payload (${encodedEntryBytes}-byte encoded entry), batch ${batchSize}, ${commitsPerSample(batchSize, full)} durable commits per sample, median of ${repetitions}`;
    for (const batchSize of BATCH_SIZES) {
      for (const state of states) {
        const durability = state.store.durable ? '' : '; NOT durable (memory only), for reference';
        const failure = state.error ?? state.failures.get(`${payloadBytes}/${batchSize}`);
        figures.push({
          name: `${state.store.name}, ${label}, batch ${batchSize}`,
          value: failure === undefined ? medianOf(state.store.name, batchSize) : Number.NaN,
          unit: 'entries/s',
          note: failure !== undefined ? `failed: ${failure}` : `${note(batchSize)}${durability}`,
        });
      }
      figures.push({
        name: `tapelog / raw classic-level, ${label}, batch ${batchSize} (median of paired ratios)`,
        value: median(pairedRatios.get(batchSize) ?? []),
        unit: 'ratio',
        note: note(batchSize),
      });
    }

    tables.push({
      title: `${label} payload: entries/s by batch size (median of ${repetitions}; one durable commit per batch)`,
      columns: ['batch', ...states.map((state) => state.store.name + (state.store.durable ? '' : ' (not durable)')), 'tapelog / raw classic-level'],
      rows: BATCH_SIZES.map((batchSize) => [
        String(batchSize),
        ...states.map((state) =>
          state.error !== undefined || state.failures.has(`${payloadBytes}/${batchSize}`) ? 'failed' : formatValue(medianOf(state.store.name, batchSize)),
        ),
        formatValue(median(pairedRatios.get(batchSize) ?? [])),
      ]),
    });
    const peers = states.filter((state) => state.store !== tapelogLevel);
    tables.push({
      title: `${label} payload: tapelog's throughput as a multiple of each store's (above 1: tapelog is faster)`,
      columns: ['batch', ...peers.map((state) => `vs ${state.store.name}`)],
      rows: BATCH_SIZES.map((batchSize) => [
        String(batchSize),
        ...peers.map((state) => formatValue(medianOf(tapelogLevel.name, batchSize) / medianOf(state.store.name, batchSize))),
      ]),
    });
    charts.push({
      id: payloadBytes === 200 ? 'throughput-vs-batch' : `throughput-vs-batch-${payloadBytes}`,
      title: `Durable append throughput vs batch size, ${label} payloads`,
      xLabel: 'batch size (entries per durable commit, log scale)',
      yLabel: 'entries/s (log scale)',
      series: states
        .filter((state) => state.store.durable && state.error === undefined)
        .map((state) => ({ name: state.store.name, points: BATCH_SIZES.map((batchSize) => ({ x: batchSize, y: medianOf(state.store.name, batchSize) })) })),
    });
    details[`payload${payloadBytes}`] = {
      encodedEntryBytes,
      rates: Object.fromEntries([...rates].map(([name, perBatch]) => [name, Object.fromEntries(perBatch)])),
      pairedRatios: Object.fromEntries(pairedRatios),
    };
  }
  details.failures = Object.fromEntries(
    states
      .filter((state) => state.error !== undefined || state.failures.size > 0)
      .map((state) => [state.store.name, state.error ?? Object.fromEntries(state.failures)]),
  );
  return { figures, tables, charts, details };
}
