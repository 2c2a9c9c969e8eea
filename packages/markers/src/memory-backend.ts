/**
 * The in-process marker backend, for tests and simulation. Opening a run replaces any previous
 * one (markers never block boot); duplicate sequence numbers keep both rows, so the verifier
 * reports them as overlaps.
 */
import { closedError, invalidArgumentError, type SealedRunStatus } from '@tapelog/core';
import { COUNT_FIELD, type MarkerBackend, type MarkerWrite, SEAL_RUNNING_MESSAGE, SingleRowWrites } from './marker-backend.js';
import {
  cloneMarkerManifest,
  type DataCursorSnapshot,
  type HiFiMarker,
  isMarkerManifestSealed,
  type MarkerGap,
  type MarkerManifest,
  type StoredMarkerRecord,
  type StreamDictEntry,
} from './model.js';

interface MemoryRun {
  manifest: MarkerManifest;
  snapshots: StoredMarkerRecord<DataCursorSnapshot>[];
  hifi: StoredMarkerRecord<HiFiMarker>[];
  gaps: StoredMarkerRecord<MarkerGap>[];
  dict: Map<number, StoredMarkerRecord<StreamDictEntry>>;
}

// Rows are copied in and out so a caller mutating its objects cannot change stored history.
function copyStored<T>(record: T, hash: Uint8Array): StoredMarkerRecord<T> {
  return { record: structuredClone(record), hash: hash.slice() };
}

function sortedBy<T>(rows: readonly StoredMarkerRecord<T>[], key: (record: T) => number): StoredMarkerRecord<T>[] {
  // Array.prototype.sort is stable, so duplicates keep their append order.
  return rows.map((row) => copyStored(row.record, row.hash)).sort((a, b) => key(a.record) - key(b.record));
}

export class MemoryMarkerBackend extends SingleRowWrites implements MarkerBackend {
  readonly location = 'memory';
  #run: MemoryRun | undefined;

  /** Opens a run: status becomes `Running` and counts zero, whatever the manifest passed says. */
  openRun(manifest: MarkerManifest): void {
    this.#run = {
      manifest: { ...cloneMarkerManifest(manifest), status: 'Running', snapshotCount: 0, hifiCount: 0, gapCount: 0, dictCount: 0 },
      snapshots: [],
      hifi: [],
      gaps: [],
      dict: new Map(),
    };
  }

  #open(): MemoryRun {
    if (this.#run === undefined) throw closedError('no marker run open: the memory marker store is closed');
    return this.#run;
  }

  #writable(): MemoryRun {
    const run = this.#open();
    if (isMarkerManifestSealed(run.manifest))
      throw closedError(`marker run ${run.manifest.runId} is sealed (${run.manifest.status}); it accepts no more markers`);
    return run;
  }

  async write(writes: readonly MarkerWrite[]): Promise<void> {
    const run = this.#writable();
    for (const write of writes) {
      const stored = copyStored(write.record, write.hash);
      switch (write.kind) {
        case 'Snapshot':
          run.snapshots.push(stored as StoredMarkerRecord<DataCursorSnapshot>);
          break;
        case 'HiFi':
          run.hifi.push(stored as StoredMarkerRecord<HiFiMarker>);
          break;
        case 'Gap':
          run.gaps.push(stored as StoredMarkerRecord<MarkerGap>);
          break;
        case 'Dict':
          if (run.dict.has(write.record.slot)) continue;
          run.dict.set(write.record.slot, stored as StoredMarkerRecord<StreamDictEntry>);
          break;
      }
      run.manifest[COUNT_FIELD[write.kind]]++;
    }
  }

  async scanSnapshots(): Promise<StoredMarkerRecord<DataCursorSnapshot>[]> {
    return sortedBy(this.#open().snapshots, (record) => record.markerSeq);
  }

  async scanHiFi(): Promise<StoredMarkerRecord<HiFiMarker>[]> {
    return sortedBy(this.#open().hifi, (record) => record.markerSeq);
  }

  async scanGaps(): Promise<StoredMarkerRecord<MarkerGap>[]> {
    return sortedBy(this.#open().gaps, (record) => record.fromMarkerSeq);
  }

  async scanDict(): Promise<StoredMarkerRecord<StreamDictEntry>[]> {
    return sortedBy([...this.#open().dict.values()], (record) => record.slot);
  }

  async seal(status: SealedRunStatus): Promise<MarkerManifest> {
    const run = this.#open();
    if ((status as string) === 'Running') throw invalidArgumentError(SEAL_RUNNING_MESSAGE);
    if (isMarkerManifestSealed(run.manifest)) throw closedError(`marker run ${run.manifest.runId} is already sealed (${run.manifest.status})`);
    run.manifest.status = status;
    return cloneMarkerManifest(run.manifest);
  }

  async manifest(): Promise<MarkerManifest> {
    return cloneMarkerManifest(this.#open().manifest);
  }

  /** Keeps the rows readable: a memory store has no handle to release. */
  async close(): Promise<void> {}
}
