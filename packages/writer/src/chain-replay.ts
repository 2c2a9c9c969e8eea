/** Rebuilds the chain head over the entries a run already holds, so a writer continuing it seals the right head. */
import { ChainHasher, type EventStore } from '@tapelog/core';

const CHAIN_SCAN_CHUNK = 1024;

export async function chainOverStoredEntries(store: EventStore, highWatermark: number): Promise<ChainHasher> {
  const chain = new ChainHasher();
  for (let from = 1; from <= highWatermark; from += CHAIN_SCAN_CHUNK) {
    const entries = await store.scanRange(from, Math.min(highWatermark, from + CHAIN_SCAN_CHUNK - 1));
    for (const entry of entries) chain.update(entry.entryHash);
  }
  return chain;
}
