/**
 * The worker writer on its hot path and on LevelDB: main-thread cost of `submit` (200-byte
 * payload, queue with room), sustained submit→durable throughput beside raw classic-level
 * chained-batch sync writes of the same batch size in the same run, and submit→durable latency
 * at 10,000 entries/s offered.
 */
import { join } from 'node:path';
import { newManifest, RealtimeClock, runEndedDraft, type EntryDraft } from '@tapelog/core';
import { spawnWriter, type EventStoreWriter, type HaltReason } from '@tapelog/writer';
import { ClassicLevel } from 'classic-level';
import type { Figure, Scenario } from '../scenario.js';
import { median, percentile, perSecond } from '../stats.js';

const BATCH = 100;
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

/** Submit→durable throughput on LevelDB with the default config, the submitting loop never yielding. */
async function writerThroughput(scratchDir: string, count: number, halts: HaltReason[]): Promise<number> {
  const writer = await openWriter(scratchDir, '@tapelog/backend-level', { baseDir: join(scratchDir, `level-${runCounter}`) }, halts);
  const draft = sampleDraft();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) writer.submit(draft);
  await writer.waitForDurable(count);
  const elapsed = Number(process.hrtime.bigint() - start);
  await writer.close(runEndedDraft(0n));
  return perSecond(count, elapsed);
}

/** Raw classic-level: chained batches of BATCH entry-sized values written with sync: true. */
async function rawLevelThroughput(scratchDir: string, count: number): Promise<number> {
  const db = new ClassicLevel<Buffer, Buffer>(join(scratchDir, `raw-${++runCounter}`), { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await db.open();
  const value = Buffer.alloc(290, 7);
  const start = process.hrtime.bigint();
  for (let seq = 1; seq <= count; seq += BATCH) {
    const batch = db.batch();
    for (let i = seq; i < seq + BATCH && i <= count; i++) {
      const key = Buffer.alloc(9);
      key[0] = 0x65;
      key.writeBigUInt64BE(BigInt(i), 1);
      batch.put(key, value);
    }
    await batch.write({ sync: true });
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
  description: 'worker writer: submit cost, durable throughput on LevelDB vs raw classic-level, submit→durable latency',
  async run({ full, scratchDir }) {
    const halts: HaltReason[] = [];
    const submitSamples = await submitCost(full ? 1_000_000 : 200_000, halts);
    const repetitions = full ? 7 : 5;
    const throughputCount = full ? 200_000 : 50_000;
    const writerRates: number[] = [];
    const rawRates: number[] = [];
    const pairRatios: number[] = [];
    // One discarded pair warms the JIT of both paths (the writer's worker starts cold each run).
    await writerThroughput(scratchDir, throughputCount / 5, halts);
    await rawLevelThroughput(scratchDir, throughputCount / 5);
    for (let i = 0; i < repetitions; i++) {
      // Back to back, so each pair sees the same disk conditions; the ratio is taken per pair
      // because this shared disk's fsync latency swings several-fold from minute to minute.
      const writerRate = await writerThroughput(scratchDir, throughputCount, halts);
      const rawRate = await rawLevelThroughput(scratchDir, throughputCount);
      writerRates.push(writerRate);
      rawRates.push(rawRate);
      pairRatios.push(writerRate / rawRate);
    }
    const latencies = await durableLatency(scratchDir, 10_000, full ? 10 : 3, halts);
    const ratio = median(pairRatios);
    const figures: Figure[] = [
      { name: 'submit main-thread cost p50', value: percentile(submitSamples, 50), unit: 'ns', target: { value: 1000, kind: 'max', source: 'writer issue' }, note: '200-byte payload, queue with room' },
      { name: 'submit main-thread cost p99', value: percentile(submitSamples, 99), unit: 'ns', target: { value: 20_000, kind: 'max', source: 'writer issue' }, note: '200-byte payload, queue with room' },
      { name: 'writer submit→durable throughput, LevelDB (median)', value: median(writerRates), unit: 'entries/s', note: `default config, batch ${BATCH}, ${throughputCount} entries` },
      { name: 'raw classic-level chained batch sync (median)', value: median(rawRates), unit: 'entries/s', note: `batch ${BATCH}, sync: true, same run` },
      { name: 'writer / raw throughput ratio (median of back-to-back pairs)', value: ratio, unit: '×', target: { value: 0.8, kind: 'min', source: 'writer issue' } },
      { name: 'submit→durable latency p50 at 10,000/s offered', value: percentile(latencies, 50) / 1e6, unit: 'ms', note: 'LevelDB, default config' },
      { name: 'submit→durable latency p99 at 10,000/s offered', value: percentile(latencies, 99) / 1e6, unit: 'ms', note: 'LevelDB, default config' },
    ];
    if (halts.length > 0) figures.push({ name: 'halts during the scenario (should be 0)', value: halts.length, unit: 'halts' });
    return { figures, details: { writerRates, rawRates, pairRatios, halts, submitSamples: submitSamples.length, latencySamples: latencies.length } };
  },
};
