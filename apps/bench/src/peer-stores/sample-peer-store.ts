/** One timed sample of a peer store: the whole workload written to a fresh store from a flushed disk. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { flushDisk } from '../flush-disk.js';
import { perSecond } from '../stats.js';
import type { PeerStore } from './peer-store.js';
import type { Workload } from './workload.js';

let sampleCounter = 0;

/** Entries/s for the whole workload written to a fresh store under `scratchDir`, or the error; open and close are not timed. */
export async function samplePeerStore(store: PeerStore, workload: Workload, scratchDir: string): Promise<number | Error> {
  const directory = join(scratchDir, `sample-${++sampleCounter}`);
  try {
    const opened = await store.open(directory);
    flushDisk();
    const start = process.hrtime.bigint();
    for (const batch of workload.batches) await opened.append(batch);
    const elapsed = Number(process.hrtime.bigint() - start);
    await opened.close();
    return perSecond(workload.entryCount, elapsed);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
