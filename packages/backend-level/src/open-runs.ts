/**
 * The runs open in this thread, by directory. LevelDB locks a run directory, so a second open
 * would fail with a bare lock error; knowing which store holds it lets us answer as the
 * contract says (CRASHED_PREDECESSOR, "already sealed") or name the holder.
 */
import type { LevelEventStore } from './store.js';

const openStores = new Map<string, LevelEventStore>();

export function openStoreAt(location: string): LevelEventStore | undefined {
  return openStores.get(location);
}

export function registerOpenStore(location: string, store: LevelEventStore): void {
  openStores.set(location, store);
}

export function unregisterOpenStore(location: string, store: LevelEventStore): void {
  if (openStores.get(location) === store) openStores.delete(location);
}
