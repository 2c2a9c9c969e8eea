/**
 * listRuns over 2,000 sealed runs of one instance, served from the manifest copies, beside the
 * same listing forced to open each run's LevelDB (copies removed) on a smaller set.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createProvider, runPath } from '@tapelog/backend-level';
import { buildAppendEntry, newManifest } from '@tapelog/core';
import type { Scenario } from '../scenario.js';
import { median, repeat, timeNs } from '../stats.js';

const RUN_COUNT = 2_000;
const FALLBACK_RUN_COUNT = 100;

/** Creates `count` sealed runs of `instanceId` (two entries each), eight at a time. */
async function createSealedRuns(baseDir: string, instanceId: string, count: number): Promise<void> {
  const provider = createProvider({ baseDir });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      const store = await provider.openRun(newManifest({ runId: `${1_700_000_000 + index}-run`, instanceId, startTsInit: BigInt(1_700_000_000 + index) }));
      const draft = { headers: {}, topic: 'run.lifecycle.RunStarted', payloadType: 'RunStarted', payload: new Uint8Array(16), tsInit: 1n, indexKeys: [] };
      await store.appendBatch([buildAppendEntry(draft, 1, 1n), buildAppendEntry({ ...draft, tsInit: 2n }, 2, 2n)]);
      await store.seal('Ended');
      await store.close();
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

export const scenario: Scenario = {
  name: 'list-runs',
  description: `level backend listRuns over ${RUN_COUNT} sealed runs (manifest copies) and ${FALLBACK_RUN_COUNT} without copies`,
  async run({ full, scratchDir }) {
    const repetitions = full ? 9 : 5;
    const creationNs = await timeNs(() => createSealedRuns(scratchDir, 'many', RUN_COUNT));
    await createSealedRuns(scratchDir, 'fallback', FALLBACK_RUN_COUNT);
    const provider = createProvider({ baseDir: scratchDir });

    const listNs = await repeat(repetitions, async () => {
      let listed = 0;
      const ns = await timeNs(async () => {
        listed = (await provider.listRuns('many')).length;
      });
      if (listed !== RUN_COUNT) throw new Error(`listRuns returned ${listed} runs, expected ${RUN_COUNT}`);
      return ns;
    });
    // Without copies every run's LevelDB is opened (and the copy rewritten), so remove them each time.
    const fallbackNs = await repeat(repetitions, async () => {
      for (let index = 0; index < FALLBACK_RUN_COUNT; index++) {
        rmSync(join(runPath(scratchDir, 'fallback', `${1_700_000_000 + index}-run`), 'tapelog-manifest'), { force: true });
      }
      return timeNs(() => provider.listRuns('fallback'));
    });
    return {
      figures: [
        { name: `listRuns, ${RUN_COUNT} sealed runs (median)`, value: median(listNs) / 1e6, unit: 'ms' },
        {
          name: `listRuns per run, ${RUN_COUNT} sealed runs (median)`,
          value: median(listNs) / 1e6 / RUN_COUNT,
          unit: 'ms/run',
          target: { value: 1, kind: 'max', source: 'backend-level issue' },
        },
        {
          name: `listRuns per run without manifest copies, ${FALLBACK_RUN_COUNT} runs (median)`,
          value: median(fallbackNs) / 1e6 / FALLBACK_RUN_COUNT,
          unit: 'ms/run',
          note: 'opens every LevelDB; what the copies save',
        },
        { name: `creating ${RUN_COUNT} sealed runs (setup, once)`, value: creationNs / 1e9, unit: 's' },
      ],
      details: { listNs, fallbackNs, repetitions },
    };
  },
};
