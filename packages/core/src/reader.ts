/**
 * A read-only façade over one open run: chunked async iteration of a seq range (each chunk one
 * backend `scanRange`), point reads, lookups and the snapshot replay plan.
 */
import type { EventStore } from './backend.js';
import { corruptedError } from './errors.js';
import type { EventStoreEntry, RunManifest, ScanDirection, SnapshotAnchor } from './types.js';

export const DEFAULT_SCAN_CHUNK_SIZE = 1024;

/** Which entries replay after restoring the anchored snapshot: `fromSeq..toSeq` (empty when from > to). */
export interface SnapshotReplayPlan {
  anchor: SnapshotAnchor | undefined;
  fromSeq: number;
  toSeq: number;
}

export function isEmptyReplayPlan(plan: SnapshotReplayPlan): boolean {
  return plan.fromSeq > plan.toSeq;
}

export class EventStoreReader {
  readonly store: EventStore;

  constructor(store: EventStore) {
    this.store = store;
  }

  manifest(): Promise<RunManifest> {
    return this.store.manifest();
  }

  highWatermark(): Promise<number> {
    return this.store.highWatermark();
  }

  scanSeq(seq: number): Promise<EventStoreEntry | undefined> {
    return this.store.scanSeq(seq);
  }

  lookup(kind: string, key: string): Promise<number | undefined> {
    return this.store.lookup(kind, key);
  }

  latestSnapshotAnchor(): Promise<SnapshotAnchor | undefined> {
    return this.store.latestSnapshotAnchor();
  }

  /**
   * Iterates `from..to` (inclusive) in chunks. Invalid ranges (`from == 0`, `from > to`) yield
   * nothing without touching the backend. The first backend error is thrown; rows of the failing
   * chunk are never yielded. Forward scans follow rows committed while iterating, up to `to`.
   */
  async *scanRange(
    from: number,
    to: number = Number.MAX_SAFE_INTEGER,
    direction: ScanDirection = 'forward',
    chunkSize: number = DEFAULT_SCAN_CHUNK_SIZE,
  ): AsyncGenerator<EventStoreEntry, void, undefined> {
    for await (const chunk of this.scanChunks(from, to, direction, chunkSize)) yield* chunk;
  }

  /** Like `scanRange`, one array per backend call. */
  async *scanChunks(
    from: number,
    to: number = Number.MAX_SAFE_INTEGER,
    direction: ScanDirection = 'forward',
    chunkSize: number = DEFAULT_SCAN_CHUNK_SIZE,
  ): AsyncGenerator<EventStoreEntry[], void, undefined> {
    const chunk = Math.max(1, Math.floor(chunkSize));
    if (from === 0 || from > to) return;
    if (direction === 'forward') {
      let cursor = from;
      for (;;) {
        const hi = Math.min(cursor + chunk - 1, to);
        const rows = await this.store.scanRange(cursor, hi, 'forward');
        if (rows.length === 0) return;
        yield rows;
        const last = rows[rows.length - 1]!.seq;
        if (last >= to) return;
        cursor = last + 1;
      }
    }
    const hwm = await this.store.highWatermark();
    if (hwm === 0 || hwm < from) return;
    let cursor = Math.min(to, hwm);
    for (;;) {
      const lo = Math.max(cursor - (chunk - 1), from);
      const rows = await this.store.scanRange(lo, cursor, 'reverse');
      if (rows.length === 0) return;
      yield rows;
      if (lo <= from) return;
      cursor = lo - 1;
    }
  }

  /** The latest anchor and the tail after it up to the durable high-watermark. */
  async snapshotReplayPlan(): Promise<SnapshotReplayPlan> {
    const anchor = await this.store.latestSnapshotAnchor();
    const toSeq = await this.store.highWatermark();
    if (anchor !== undefined && anchor.highWatermark > toSeq) {
      throw corruptedError(`snapshot anchor high_watermark ${anchor.highWatermark} exceeds durable high_watermark ${toSeq}`);
    }
    return { anchor, fromSeq: anchor === undefined ? 1 : anchor.highWatermark + 1, toSeq };
  }
}
