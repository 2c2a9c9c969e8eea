/**
 * Durable append throughput of the level backend against raw classic-level doing the same synced
 * writes, measured in the same run so the ratio is what the backend itself costs. Each sample
 * starts from a flushed disk. Batch 1 and 4096 and 2 KiB payloads are in the peers scenario.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createProvider } from '@tapelog/backend-level';
import { type AppendEntry, buildAppendEntry, encodeEntry, newManifest } from '@tapelog/core';
import { ClassicLevel } from 'classic-level';
import { flushDisk } from '../flush-disk.js';
import type { Figure, Scenario } from '../scenario.js';
import { median, perSecond, timeNs } from '../stats.js';

const PAYLOAD_BYTES = 200;

function buildBatches(batchSize: number, batchCount: number): AppendEntry[][] {
  const payload = new Uint8Array(PAYLOAD_BYTES);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 31) & 0xff;
  const batches: AppendEntry[][] = [];
  for (let b = 0; b < batchCount; b++) {
    const batch: AppendEntry[] = [];
    for (let i = 1; i <= batchSize; i++) {
      const seq = b * batchSize + i;
      const draft = {
        headers: {},
        topic: 'events.order.O-1',
        payloadType: 'OrderFilled',
        payload,
        tsInit: 1_700_000_000_000_000_000n + BigInt(seq),
        indexKeys: [],
      };
      batch.push(buildAppendEntry(draft, seq, 1_700_000_000_000_000_001n + BigInt(seq)));
    }
    batches.push(batch);
  }
  return batches;
}

/** Entries/s through `appendBatch` on a fresh run. */
async function sampleBackend(directory: string, batches: AppendEntry[][]): Promise<number> {
  const store = await createProvider({ baseDir: directory }).openRun(newManifest({ runId: 'bench', instanceId: 'bench', startTsInit: 1n }));
  const count = batches.reduce((sum, batch) => sum + batch.length, 0);
  flushDisk();
  const ns = await timeNs(async () => {
    for (const batch of batches) await store.appendBatch(batch);
  });
  await store.close();
  return perSecond(count, ns);
}

/** Entries/s for the same keys and encoded values, one chained batch per append, `sync: true`. */
async function sampleRaw(directory: string, batches: AppendEntry[][]): Promise<number> {
  const encoded = batches.map((batch) =>
    batch.map(({ entry }) => {
      const key = Buffer.alloc(9);
      key[0] = 0x65;
      key.writeBigUInt64BE(BigInt(entry.seq), 1);
      return [key, encodeEntry(entry)] as const;
    }),
  );
  const db = new ClassicLevel<Buffer, Buffer>(directory, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await db.open();
  const count = batches.reduce((sum, batch) => sum + batch.length, 0);
  flushDisk();
  const ns = await timeNs(async () => {
    for (const rows of encoded) {
      const chained = db.batch();
      for (const [key, value] of rows) chained.put(key, value);
      await chained.write({ sync: true });
    }
  });
  await db.close();
  return perSecond(count, ns);
}

export const scenario: Scenario = {
  name: 'append',
  description: 'level backend appendBatch vs raw classic-level chained batch (sync: true), 200-byte payloads',
  async run({ full, scratchDir }) {
    const repetitions = full ? 9 : 5;
    const figures: Figure[] = [];
    const details: Record<string, unknown> = { repetitions, payloadBytes: PAYLOAD_BYTES };
    let sampleIndex = 0;
    for (const batchSize of [100, 512]) {
      const batchCount = Math.ceil((full ? 100_000 : 20_000) / batchSize);
      const batches = buildBatches(batchSize, batchCount);
      const backendRates: number[] = [];
      const rawRates: number[] = [];
      const pairRatios: number[] = [];
      // Interleaved, after one warm-up pair, so drift in the disk affects both sides alike.
      for (let repetition = -1; repetition < repetitions; repetition++) {
        const backendDirectory = join(scratchDir, `sample-${sampleIndex++}`);
        const rawDirectory = join(scratchDir, `sample-${sampleIndex++}`);
        mkdirSync(backendDirectory, { recursive: true });
        const backendRate = await sampleBackend(backendDirectory, batches);
        const rawRate = await sampleRaw(rawDirectory, batches);
        if (repetition >= 0) {
          backendRates.push(backendRate);
          rawRates.push(rawRate);
          pairRatios.push(backendRate / rawRate);
        }
      }
      const note = `batch ${batchSize}, ${batchCount * batchSize} entries per sample, ${PAYLOAD_BYTES}-byte payload`;
      figures.push(
        { name: `appendBatch batch=${batchSize} (median)`, value: median(backendRates), unit: 'entries/s', note },
        { name: `raw classic-level batch=${batchSize} (median)`, value: median(rawRates), unit: 'entries/s', note },
        {
          // The median of paired ratios: each pair ran back to back, so disk drift cancels out.
          name: `appendBatch / raw batch=${batchSize} (median of paired ratios)`,
          value: median(pairRatios),
          unit: 'ratio',
          target: { value: 0.8, kind: 'min', source: 'backend-level issue' },
          note,
        },
      );
      details[`batch${batchSize}`] = { backendRates, rawRates, pairRatios, batchCount };
    }
    return { figures, details };
  },
};
