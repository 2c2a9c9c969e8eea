/**
 * The runs open in this thread, by directory. LMDB would let a second environment open the same
 * run; knowing which store holds it lets the provider answer as the contract says
 * (RUN_ALREADY_OPEN, CRASHED_PREDECESSOR, RUN_SEALED) instead.
 */
import type { LmdbEventStore } from './store.js';

const openStores = new Map<string, LmdbEventStore>();

export function openStoreAt(location: string): LmdbEventStore | undefined {
  return openStores.get(location);
}

export function registerOpenStore(location: string, store: LmdbEventStore): void {
  openStores.set(location, store);
}

export function unregisterOpenStore(location: string, store: LmdbEventStore): void {
  if (openStores.get(location) === store) openStores.delete(location);
}
