/** What a store in the peer comparison provides: open a fresh store in a directory, append batches durably, close. */
import type { WorkloadBatch } from './workload.js';

export interface OpenPeerStore {
  /** One durable commit of the whole batch; resolves once it is on disk. */
  append(batch: WorkloadBatch): Promise<void>;
  close(): Promise<void>;
}

export interface PeerStore {
  /** As shown in tables, figures and the chart legend. */
  name: string;
  /** What "committed" means for this store, in plain words. */
  durability: string;
  /** False for stores that keep nothing on disk: shown for reference, never in the durable chart. */
  durable: boolean;
  /** Converts the workload to the store's own input form ahead of timing (for stores that cannot take bytes). */
  prepare?(batches: readonly WorkloadBatch[]): void;
  /** Opens a fresh, empty store in `directory` (which does not exist yet). */
  open(directory: string): Promise<OpenPeerStore>;
}
