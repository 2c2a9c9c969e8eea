/**
 * What the writer loop consumes: records (entries, anchors, close, abandon) in FIFO order, from
 * the shared-memory ring (worker writer) or from an in-process queue (inline writer), and a way
 * to sleep until enough of them are waiting.
 */
import type { EntryDraft } from '@tapelog/core';

export interface QueueRecord {
  /** A RecordKind. */
  kind: number;
  /** The seq the producer assigned (ENTRY, CLOSE) or the anchor request id (ANCHOR). */
  seq: number;
  tsPublish: bigint;
  draft: EntryDraft;
}

export interface RecordFeed {
  /** Records published and not yet taken. */
  readonly available: number;
  /**
   * Takes up to `limit` records, stopping after the first one for which `stopAfter` returns
   * true, and frees their room. Returns the records in publication order.
   */
  take(limit: number, stopAfter: (record: QueueRecord) => boolean): QueueRecord[];
  /**
   * Sleeps until `wakeAt` records wait (any anchor, close or abandon wakes it at once),
   * `settles` settles, or `timeoutMs` passes. Returns undefined without sleeping when the
   * records are already there. `holdsWork`: the loop has entries that must still be committed,
   * so the sleep must keep the process alive (an idle inline writer must not).
   */
  sleep(wakeAt: number, timeoutMs: number, settles: Promise<void> | undefined, holdsWork: boolean): Promise<void> | undefined;
}
