/** Emmett's in-memory event store: no disk at all, shown as the library's own ceiling, never as a durable peer. */
import { emmettEvents, prepareEmmettEvents } from './emmett-events.js';
import type { PeerStore } from './peer-store.js';

export const emmettMemory: PeerStore = {
  name: 'Emmett in-memory event store',
  durability: 'none: process memory only (reference, not comparable on durability)',
  durable: false,
  prepare: prepareEmmettEvents,
  async open() {
    const { getInMemoryEventStore } = await import('@event-driven-io/emmett');
    const store = getInMemoryEventStore();
    return {
      append: async (batch) => {
        await store.appendToStream('run-bench', emmettEvents(batch));
      },
      close: async () => undefined,
    };
  },
};
