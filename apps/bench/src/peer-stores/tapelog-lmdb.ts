/** tapelog's LMDB backend: `appendBatch` on a fresh run, the product being measured. */
import { createProvider } from '@tapelog/backend-lmdb';
import { newManifest } from '@tapelog/core';
import type { PeerStore } from './peer-store.js';

export const tapelogLmdb: PeerStore = {
  name: 'tapelog appendBatch (LMDB)',
  durability: 'one LMDB write transaction per appendBatch, acknowledged once lmdb-js reports it flushed (fdatasync), before the high-watermark moves',
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
