/**
 * The worker writer on its hot path and on LevelDB: main-thread cost of `submit` (200-byte
 * payload, queue with room), sustained submit→durable throughput of a warmed writer beside raw
 * classic-level sync writes of the same batch size in the same run (one row per entry, and, for
 * information, one row per batch), and submit→durable latency at 10,000 entries/s offered.
 */
import { join } from 'node:path';
import { type EntryDraft, newManifest, RealtimeClock, runEndedDraft } from '@tapelog/core';
import { type EventStoreWriter, type HaltReason, spawnWriter } from '@tapelog/writer';
import { ClassicLevel } from 'classic-level';
import type { Figure, Scenario } from '../scenario.js';
import { median, percentile, perSecond } from '../stats.js';

const BATCH = 100;
/** Entries each writer makes durable before its measured run: its thread is compiled and its run warm. */
const WARM_UP_ENTRIES = 20_000;
/** Bytes of one raw value: about an encoded entry with a 200-byte payload. */
const RAW_VALUE_BYTES = 290;
let runCounter = 0;

function sampleDraft(): EntryDraft {
  const payload = new Uint8Array(200);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 31) & 0xff;
  return { headers: {}, topic: 'events.order.O-1', payloadType: 'OrderFilled', payload, tsInit: 1_700_000_000_000_000_000n, indexKeys: [] };
}

async function openWriter(scratchDir: string, module: string, options: unknown, halts: HaltReason[]): Promise<EventStoreWriter> {
  const manifest = newManifest({ runId: `run-${++runCounter}`, instanceId: 'bench', startTsInit: 0n });
  void scratchDir;
  return spawnWriter({ backend: { module, options }, manifest, clock: new RealtimeClock(), onHalt: (reason) => halts.push(reason) });
}

/** Per-submit main-thread cost with room in the queue (memory backend: the worker keeps up). */
async function submitCost(count: number, halts: HaltReason[]): Promise<number[]> {
  const writer = await openWriter('', '@tapelog/backend-memory', {}, halts);
  const draft = sampleDraft();
  const samples: number[] = [];
  // Bursts of 1,000 with pauses keep the queue far from full, which is what this figure is about.
  for (let done = 0; done < count; done += 1000) {
    for (let i = 0; i < 1000; i++) {
      const start = process.hrtime.bigint();
      writer.submit(draft);
      samples.push(Number(process.hrtime.bigint() - start));
    }
    await writer.waitForDurable(done + 1000);
  }
  await writer.close(runEndedDraft(0n));
  return samples;
}

/**
 * Sustained submit→durable throughput on LevelDB with the default config, the submitting loop
 * never yielding: a fresh writer first makes WARM_UP_ENTRIES durable (its thread starts cold:
 * JIT compilation runs on background threads), then `count` entries are timed on the same writer.
 */
async function writerThroughput(scratchDir: string, count: number, halts: HaltReason[]): Promise<{ sustained: number; cold: number }> {
  const writer = await openWriter(scratchDir, '@tapelog/backend-level', { baseDir: join(scratchDir, `level-${runCounter}`) }, halts);
  const draft = sampleDraft();
  const coldStart = process.hrtime.bigint();
  for (let i = 0; i < WARM_UP_ENTRIES; i++) writer.submit(draft);
  await writer.waitForDurable(WARM_UP_ENTRIES);
  const cold = perSecond(WARM_UP_ENTRIES, Number(process.hrtime.bigint() - coldStart));
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) writer.submit(draft);
  await writer.waitForDurable(WARM_UP_ENTRIES + count);
  const elapsed = Number(process.hrtime.bigint() - start);
  await writer.close(runEndedDraft(0n));
  return { sustained: perSecond(count, elapsed), cold };
}

function rawKey(prefix: number, n: number): Buffer {
  const key = Buffer.alloc(9);
  key[0] = prefix;
  key.writeBigUInt64BE(BigInt(n), 1);
  return key;
}

/**
 * Raw classic-level, with sync: true for every batch of BATCH entry-sized values: `'row per
 * entry'` puts each value under its own key in one chained batch (what the level backend does
 * today); `'row per batch'` puts the concatenated values of the batch as one row.
 */
async function rawLevelThroughput(scratchDir: string, count: number, layout: 'row per entry' | 'row per batch'): Promise<number> {
  const db = new ClassicLevel<Buffer, Buffer>(join(scratchDir, `raw-${++runCounter}`), { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await db.open();
  const value = Buffer.alloc(RAW_VALUE_BYTES, 7);
  const start = process.hrtime.bigint();
  for (let seq = 1; seq <= count; seq += BATCH) {
    const last = Math.min(count, seq + BATCH - 1);
    if (layout === 'row per entry') {
      const batch = db.batch();
      for (let i = seq; i <= last; i++) batch.put(rawKey(0x65, i), value);
      await batch.write({ sync: true });
    } else {
      const values: Buffer[] = [];
      for (let i = seq; i <= last; i++) values.push(value);
      await db.put(rawKey(0x62, seq), Buffer.concat(values), { sync: true });
    }
  }
  const elapsed = Number(process.hrtime.bigint() - start);
  await db.close();
  return perSecond(count, elapsed);
}

/** Submit→durable latency with entries offered at `rate` per second for `seconds`. */
async function durableLatency(scratchDir: string, rate: number, seconds: number, halts: HaltReason[]): Promise<number[]> {
  const writer = await openWriter(scratchDir, '@tapelog/backend-level', { baseDir: join(scratchDir, `latency-${runCounter}`) }, halts);
  const draft = sampleDraft();
  const total = rate * seconds;
  const submittedAt = new Float64Array(total + 1);
  const latencies: number[] = [];
  let observed = 0;
  const start = performance.now();
  let submitted = 0;
  while (submitted < total) {
    // Offer entries on schedule (catching up after each tick), then record newly durable seqs.
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
    while (submitted < due) {
      const seq = writer.submit(draft);
      submittedAt[seq] = performance.now();
      submitted++;
    }
    const now = performance.now();
    const durable = writer.highWatermark;
    for (let seq = observed + 1; seq <= durable; seq++) latencies.push((now - submittedAt[seq]!) * 1e6);
    observed = Math.max(observed, durable);
    await new Promise((resolve) => setImmediate(resolve));
  }
  while (observed < total) {
    await new Promise((resolve) => setImmediate(resolve));
    const now = performance.now();
    const durable = writer.highWatermark;
    for (let seq = observed + 1; seq <= durable; seq++) latencies.push((now - submittedAt[seq]!) * 1e6);
    observed = Math.max(observed, durable);
  }
  await writer.close(runEndedDraft(0n));
  return latencies;
}

export const scenario: Scenario = {
  name: 'writer',
  description: 'worker writer: submit cost, sustained (warmed) durable throughput on LevelDB vs raw classic-level, submit→durable latency',
  async run({ full, scratchDir }) {
    const halts: HaltReason[] = [];
    const submitSamples = await submitCost(full ? 1_000_000 : 200_000, halts);
    const repetitions = full ? 7 : 5;
    const throughputCount = full ? 200_000 : 50_000;
    const writerRates: number[] = [];
    const rawRates: number[] = [];
    const rawBatchRowRates: number[] = [];
    const pairRatios: number[] = [];
    const batchRowPairRatios: number[] = [];
    const coldPairRatios: number[] = [];
    // Discarded runs warm this thread's raw paths; each writer warms itself (see writerThroughput).
    await rawLevelThroughput(scratchDir, throughputCount / 5, 'row per entry');
    await rawLevelThroughput(scratchDir, throughputCount / 5, 'row per batch');
    for (let i = 0; i < repetitions; i++) {
      // Back to back, so each group sees the same disk conditions; ratios are taken per group
      // because this shared disk's fsync latency swings several-fold from minute to minute.
      const { sustained: writerRate, cold: coldRate } = await writerThroughput(scratchDir, throughputCount, halts);
      const rawRate = await rawLevelThroughput(scratchDir, throughputCount, 'row per entry');
      const rawBatchRowRate = await rawLevelThroughput(scratchDir, throughputCount, 'row per batch');
      writerRates.push(writerRate);
      rawRates.push(rawRate);
      rawBatchRowRates.push(rawBatchRowRate);
      pairRatios.push(writerRate / rawRate);
      batchRowPairRatios.push(writerRate / rawBatchRowRate);
      coldPairRatios.push(coldRate / rawRate);
    }
    const latencies = await durableLatency(scratchDir, 10_000, full ? 10 : 3, halts);
    const ratio = median(pairRatios);
    const warmed = `warmed: each writer first makes ${WARM_UP_ENTRIES.toLocaleString('en-US')} entries durable, then ${throughputCount.toLocaleString('en-US')} are timed on it`;
    const figures: Figure[] = [
      {
        name: 'submit main-thread cost p50',
        value: percentile(submitSamples, 50),
        unit: 'ns',
        target: { value: 1000, kind: 'max', source: 'writer issue' },
        note: '200-byte payload, queue with room',
      },
      {
        name: 'submit main-thread cost p99',
        value: percentile(submitSamples, 99),
        unit: 'ns',
        target: { value: 20_000, kind: 'max', source: 'writer issue' },
        note: '200-byte payload, queue with room',
      },
      {
        name: 'writer submit→durable throughput, LevelDB (median)',
        value: median(writerRates),
        unit: 'entries/s',
        note: `default config, batch ${BATCH}; ${warmed}`,
      },
      {
        name: 'raw classic-level chained batch sync (median)',
        value: median(rawRates),
        unit: 'entries/s',
        note: `batch ${BATCH}, one row per entry, sync: true, same run`,
      },
      {
        name: 'raw classic-level one row per batch sync (median)',
        value: median(rawBatchRowRates),
        unit: 'entries/s',
        note: `batch ${BATCH} written as one row of the concatenated values, sync: true, same run`,
      },
      {
        name: 'writer / raw throughput ratio (median of back-to-back pairs)',
        value: ratio,
        unit: '×',
        target: { value: 0.8, kind: 'min', source: 'writer issue' },
        note: `raw: one row per entry; ${warmed}`,
      },
      {
        name: 'cold writer / raw throughput ratio (median)',
        value: median(coldPairRatios),
        unit: '×',
        note: `informational: the first ${WARM_UP_ENTRIES.toLocaleString('en-US')} entries of a fresh writer thread (JIT compiling), against the same raw run`,
      },
      {
        name: 'writer / raw one-row-per-batch throughput ratio (median of back-to-back pairs)',
        value: median(batchRowPairRatios),
        unit: '×',
        note: `informational, no target: raw writes each batch of ${BATCH} as one row; ${warmed}`,
      },
      { name: 'submit→durable latency p50 at 10,000/s offered', value: percentile(latencies, 50) / 1e6, unit: 'ms', note: 'LevelDB, default config' },
      { name: 'submit→durable latency p99 at 10,000/s offered', value: percentile(latencies, 99) / 1e6, unit: 'ms', note: 'LevelDB, default config' },
    ];
    if (halts.length > 0) figures.push({ name: 'halts during the scenario (should be 0)', value: halts.length, unit: 'halts' });
    return {
      figures,
      details: {
        warmUpEntries: WARM_UP_ENTRIES,
        coldPairRatios,
        writerRates,
        rawRates,
        rawBatchRowRates,
        pairRatios,
        batchRowPairRatios,
        halts,
        submitSamples: submitSamples.length,
        latencySamples: latencies.length,
      },
    };
  },
};
