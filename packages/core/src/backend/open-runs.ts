/**
 * The stores a provider holds open in this thread, by run location. Storage engines either lock a
 * run (LevelDB: a second open fails with a bare lock error) or let a second handle in (LMDB);
 * knowing which store holds a run lets the provider answer as the contract says
 * (RUN_ALREADY_OPEN, CRASHED_PREDECESSOR, RUN_SEALED) and name the holder.
 */
export class OpenRuns<Store> {
  readonly #stores = new Map<string, Store>();

  /** The store holding the run at `location`, if one is open. */
  at(location: string): Store | undefined {
    return this.#stores.get(location);
  }

  register(location: string, store: Store): void {
    this.#stores.set(location, store);
  }

  /** Forgets `store`; a later store registered at the same location stays. */
  unregister(location: string, store: Store): void {
    if (this.#stores.get(location) === store) this.#stores.delete(location);
  }
}
