/**
 * How `tapelog export` reads a run when its store offers `scanRecords`: the hash-checked records
 * of each batch in one buffer, checked on the store's record-check thread, with no entry objects
 * built on the reading thread. The next batch is read while the current one is written.
 */
import type { EventStore } from '@tapelog/core';
import type { ReplaySeqRange } from '@tapelog/recovery';
import type { EntryRecords } from './export-records.js';

/** A store that reads checked record bytes. */
export type RecordScanningStore = EventStore & Required<Pick<EventStore, 'scanRecords'>>;

export function scansRecords(store: EventStore): store is RecordScanningStore {
  return typeof store.scanRecords === 'function';
}

/** The records of `range` (already validated), `rows` per batch, in seq order; stops at the high-watermark. */
export async function* streamEntryRecords(store: RecordScanningStore, range: ReplaySeqRange, rows: number): AsyncGenerator<EntryRecords, void, undefined> {
  const read = (from: number) => {
    const to = Math.min(range.toSeq, from + rows - 1);
    return store.scanRecords(from, to).then((batch) => ({ batch, last: batch.to < to || to === range.toSeq }));
  };
  let next = read(range.fromSeq);
  try {
    for (;;) {
      const { batch, last } = await next;
      if (!last) next = read(batch.to + 1);
      if (batch.to >= batch.from) yield { firstSeq: batch.from, count: batch.to - batch.from + 1, bytes: batch.bytes, offsets: batch.offsets };
      if (last) return;
    }
  } finally {
    // A read-ahead that fails after the caller has stopped is nobody's error.
    next.catch(() => undefined);
  }
}
