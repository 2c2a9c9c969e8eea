/** tapelog's LevelDB backend: `appendBatch` on a fresh run, the product being measured. */
import { createProvider } from '@tapelog/backend-level';
import { newManifest } from '@tapelog/core';
import type { PeerStore } from './peer-store.js';

export const tapelogLevel: PeerStore = {
  name: 'tapelog appendBatch (LevelDB)',
  durability: 'one LevelDB batch per appendBatch, written with sync: true, before the high-watermark moves',
  durable: true,
  async open(directory) {
    const store = await createProvider({ baseDir: directory }).openRun(newManifest({ runId: 'bench', instanceId: 'bench', startTsInit: 1n }));
    return {
      append: async (batch) => {
        await store.appendBatch(batch.entries);
      },
      close: () => store.close(),
    };
  },
};
