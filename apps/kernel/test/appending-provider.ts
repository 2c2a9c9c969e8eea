/**
 * A memory provider whose stores append through a test's own function (a disk that fills up, a
 * disk that is slow): everything else is the memory backend's.
 */
import { createProvider as createMemoryProvider } from '@tapelog/backend-memory';
import type { EventStore, EventStoreProvider } from '@tapelog/core';

export type AppendBatch = EventStore['appendBatch'];

/** `appendFor(store)` builds the append of each opened run; it may call `store.appendBatch`. */
export function memoryProviderAppendingWith(appendFor: (store: EventStore) => AppendBatch): EventStoreProvider {
  const inner = createMemoryProvider();
  const wrap = (store: EventStore): EventStore => {
    const append = appendFor(store);
    return new Proxy(store, {
      get(target, property) {
        if (property === 'appendBatch') return append;
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  return new Proxy(inner, {
    get(target, property) {
      if (property === 'openRun') return async (...args: Parameters<EventStoreProvider['openRun']>) => wrap(await target.openRun(...args));
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
