/** tapelog itself as a peer store: `appendBatch` on a fresh run of a provider, the product being measured. */
import { type EventStoreProvider, newManifest } from '@tapelog/core';
import type { PeerStore } from './peer-store.js';

/** A peer store writing through `createProvider({ baseDir })` of one tapelog backend. */
export function tapelogPeerStore(name: string, durability: string, createProvider: (options: { baseDir: string }) => EventStoreProvider): PeerStore {
  return {
    name,
    durability,
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
}
