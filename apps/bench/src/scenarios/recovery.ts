/**
 * Recovery sweep time on LevelDB against the size of one crashed run, and against the number of
 * crashed runs found at boot: what a kernel waits for before it can open its next run.
 */
import { join } from 'node:path';
import { createProvider } from '@tapelog/backend-level';
import { recoverPredecessors } from '@tapelog/recovery';
import { flushDisk } from '../flush-disk.js';
import { buildLevelRun } from '../level-runs.js';
import type { Figure, Scenario } from '../scenario.js';
import { timeNs } from '../stats.js';

const PAYLOAD_BYTES = 128;
const ENTRIES_PER_RUN_IN_COUNT_SERIES = 1_000;

/** Builds the crashed runs of one instance, sweeps them, checks each was recovered, and returns the sweep time in ms. */
async function sweep(baseDir: string, instanceId: string, runCount: number, entriesPerRun: number): Promise<number> {
  const provider = createProvider({ baseDir }, { warn: () => {} });
  for (let index = 0; index < runCount; index++) {
    const startTsInit = BigInt(1_000 + index);
    await buildLevelRun(provider, { instanceId, runId: `${startTsInit}-crashed`, startTsInit, count: entriesPerRun, crash: true, payloadBytes: PAYLOAD_BYTES });
  }
  flushDisk();
  let recovered: string[] = [];
  const ns = await timeNs(async () => {
    const outcome = await recoverPredecessors(createProvider({ baseDir }, { warn: () => {} }), instanceId, { logger: () => {} });
    recovered = outcome.recovered.map((run) => `${run.status}:${run.highWatermark}`);
  });
  const expected = Array.from({ length: runCount }, () => `CrashedRecovered:${entriesPerRun}`);
  if (recovered.join() !== expected.join()) throw new Error(`sweep of ${runCount} runs of ${entriesPerRun} entries recovered ${recovered.join() || 'nothing'}`);
  return ns / 1e6;
}

export const scenario: Scenario = {
  name: 'recovery',
  description: `recovery sweep time on LevelDB vs the size of one crashed run and vs the number of crashed runs (${PAYLOAD_BYTES}-byte payloads)`,
  async run({ full, scratchDir }) {
    const sizes = full ? [1_000, 10_000, 100_000, 1_000_000] : [1_000, 10_000, 100_000];
    const runCounts = full ? [1, 10, 50, 200] : [1, 10, 50];
    const figures: Figure[] = [];
    const bySize: Array<{ x: number; y: number }> = [];
    const byCount: Array<{ x: number; y: number }> = [];
    let instance = 0;
    for (const size of sizes) {
      const ms = await sweep(join(scratchDir, `size-${size}`), `size-${++instance}`, 1, size);
      bySize.push({ x: size, y: ms });
      figures.push({
        name: `sweep of 1 crashed run of ${size.toLocaleString('en-US')} entries`,
        value: ms,
        unit: 'ms',
        note: 'tail classified, chain head computed over the run, sealed CrashedRecovered; one sample',
      });
    }
    for (const runCount of runCounts) {
      const ms = await sweep(join(scratchDir, `count-${runCount}`), `count-${++instance}`, runCount, ENTRIES_PER_RUN_IN_COUNT_SERIES);
      byCount.push({ x: runCount, y: ms });
      figures.push(
        {
          name: `sweep of ${runCount} crashed runs of ${ENTRIES_PER_RUN_IN_COUNT_SERIES.toLocaleString('en-US')} entries`,
          value: ms,
          unit: 'ms',
          note: 'one sample',
        },
        { name: `  per run (${runCount} runs)`, value: ms / runCount, unit: 'ms/run' },
      );
    }
    return { figures, details: { bySize, byCount, payloadBytes: PAYLOAD_BYTES } };
  },
};
