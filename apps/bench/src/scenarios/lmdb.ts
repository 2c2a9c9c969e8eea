/**
 * The LMDB backend against what it is built on and what it replaces: tapelog's `appendBatch` on
 * LMDB beside raw lmdb-js writing the same entry bytes (one transaction per batch, flushed) and
 * beside tapelog on LevelDB, and the disk's ceiling (the same bytes appended to a file, one
 * fdatasync per batch), 200-byte payloads at batch 100, 512 and 4096, interleaved and paired
 * in the same run; then the verify rate on a sealed LMDB run.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createProvider } from '@tapelog/backend-lmdb';
import { Verifier } from '@tapelog/recovery';
import { buildLevelRun } from '../level-runs.js';
import type { PeerStore } from '../peer-stores/peer-store.js';
import { rawFileFdatasync } from '../peer-stores/raw-file-fdatasync.js';
import { rawLmdb } from '../peer-stores/raw-lmdb.js';
import { samplePeerStore } from '../peer-stores/sample-peer-store.js';
import { tapelogLevel } from '../peer-stores/tapelog-level.js';
import { tapelogLmdb } from '../peer-stores/tapelog-lmdb.js';
import { buildWorkload, type Workload } from '../peer-stores/workload.js';
import type { Figure, Scenario } from '../scenario.js';
import { median, perSecond, timeNs } from '../stats.js';

const BATCH_SIZES = [100, 512, 4096] as const;
const PAYLOAD_BYTES = 200;
const STORES: readonly PeerStore[] = [tapelogLmdb, rawLmdb, tapelogLevel, rawFileFdatasync];
const VERIFY_INSTANCE = 'bench-verify-lmdb';

/**
 * Commits per sample: about 32,000 entries at every batch size, so that one sample lasts a good
 * fraction of a second. Shorter samples (a few thousand entries, a few milliseconds) measured
 * scheduler and page-cache noise more than the stores, and their paired ratios scattered widely.
 */
function commitsPerSample(batchSize: number, full: boolean): number {
  const short = Math.ceil(32_000 / batchSize);
  return full ? short * 2 : short;
}

/** Entries/s of one sample; a store that fails fails the scenario (all three are expected to work). */
async function sample(store: PeerStore, workload: Workload, scratchDir: string): Promise<number> {
  const outcome = await samplePeerStore(store, workload, scratchDir);
  if (outcome instanceof Error) throw new Error(`${store.name}: ${outcome.message}`);
  return outcome;
}

/** Verifier rate on a sealed LMDB run of `count` entries (its seal digest check included). */
async function verifyRates(scratchDir: string, count: number, repetitions: number): Promise<number[]> {
  const provider = createProvider({ baseDir: join(scratchDir, 'verify') }, { warn: () => {} });
  await buildLevelRun(provider, { instanceId: VERIFY_INSTANCE, runId: '1000-sealed00', startTsInit: 1000n, count, crash: false, payloadBytes: 128 });
  const rates: number[] = [];
  for (let repetition = 0; repetition < repetitions; repetition++) {
    let findings = -1;
    const ns = await timeNs(async () => {
      const verifier = await Verifier.openSealed(provider, VERIFY_INSTANCE, '1000-sealed00');
      findings = (await verifier.verify()).findings.length;
      await verifier.close();
    });
    if (findings !== 0) throw new Error(`the benchmark LMDB run should verify clean, found ${findings} findings`);
    rates.push(perSecond(count, ns));
  }
  return rates;
}

export const scenario: Scenario = {
  name: 'lmdb',
  description: 'tapelog on LMDB vs raw lmdb-js and vs tapelog on LevelDB (durable appends, batch 100/512/4096), and verify rate on an LMDB run',
  async run({ full, scratchDir }) {
    const repetitions = full ? 9 : 5;
    mkdirSync(scratchDir, { recursive: true });

    const figures: Figure[] = [];
    const rates: Record<string, Record<number, number[]>> = Object.fromEntries(STORES.map((store) => [store.name, {}]));
    const versusRaw: Record<number, number[]> = {};
    const versusLevel: Record<number, number[]> = {};
    const diskOverLevel: Record<number, number[]> = {};
    for (const batchSize of BATCH_SIZES) {
      const workload = buildWorkload(PAYLOAD_BYTES, batchSize, commitsPerSample(batchSize, full));
      versusRaw[batchSize] = [];
      versusLevel[batchSize] = [];
      diskOverLevel[batchSize] = [];
      // One untimed sample of every store with this very workload: each store's code paths are
      // optimised by the JIT for this batch size before anything counts, not only the first store's.
      for (const store of STORES) await sample(store, workload, scratchDir);
      for (let repetition = 0; repetition < repetitions; repetition++) {
        const round = new Map<string, number>();
        // Rotate who goes first, so no store always runs on the disk the previous one left busy.
        for (let index = 0; index < STORES.length; index++) {
          const store = STORES[(index + repetition) % STORES.length]!;
          round.set(store.name, await sample(store, workload, scratchDir));
        }
        for (const [name, rate] of round) {
          rates[name]![batchSize] ??= [];
          rates[name]![batchSize]!.push(rate);
        }
        versusRaw[batchSize]!.push(round.get(tapelogLmdb.name)! / round.get(rawLmdb.name)!);
        versusLevel[batchSize]!.push(round.get(tapelogLmdb.name)! / round.get(tapelogLevel.name)!);
        diskOverLevel[batchSize]!.push(round.get(rawFileFdatasync.name)! / round.get(tapelogLevel.name)!);
      }
      const note = `${PAYLOAD_BYTES}-byte payload (${workload.encodedEntryBytes}-byte encoded entry), batch ${batchSize}, ${commitsPerSample(batchSize, full)} durable commits per sample, median of ${repetitions}`;
      for (const store of STORES)
        figures.push({ name: `${store.name}, batch ${batchSize}`, value: median(rates[store.name]![batchSize]!), unit: 'entries/s', note });
      figures.push({
        name: `tapelog on LMDB / raw lmdb-js, batch ${batchSize} (median of paired ratios)`,
        value: median(versusRaw[batchSize]!),
        unit: 'ratio',
        target: { value: 0.8, kind: 'min', source: 'backend-lmdb issue' },
        note,
      });
      figures.push({
        name: `tapelog on LMDB / tapelog on LevelDB, batch ${batchSize} (median of paired ratios)`,
        value: median(versusLevel[batchSize]!),
        unit: 'ratio',
        ...(batchSize === 512 ? { target: { value: 2.5, kind: 'min' as const, source: 'backend-lmdb issue' } } : {}),
        note,
      });
      figures.push({
        name: `raw file + fdatasync / tapelog on LevelDB, batch ${batchSize} (median of paired ratios)`,
        value: median(diskOverLevel[batchSize]!),
        unit: 'ratio',
        note: `${note}; the most any store syncing once per batch can be over tapelog on LevelDB on this disk`,
      });
    }

    const verifyCount = full ? 1_000_000 : 200_000;
    const verify = await verifyRates(scratchDir, verifyCount, full ? 5 : 3);
    figures.push({
      name: 'verify rate on an LMDB run (median)',
      value: median(verify),
      unit: 'entries/s',
      note: `sealed LMDB run of ${verifyCount.toLocaleString('en-US')} entries, 128-byte payloads, an index key on every tenth; includes the seal digest check of the data file`,
    });
    return { figures, details: { rates, versusRaw, versusLevel, diskOverLevel, verify, repetitions } };
  },
};
