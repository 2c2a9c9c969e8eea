/**
 * The inline writer's feed: records queued by `submit` on the same thread, taken by the writer
 * loop when the thread yields. It wakes a sleeping loop on the same terms as the shared ring does
 * (once as many records wait as the loop asked for, or at once for an anchor, close or abandon).
 */
import type { QueueRecord, RecordFeed } from './record-feed.js';
import { RecordKind } from './shared-queue.js';

export class InProcessFeed implements RecordFeed {
  #records: QueueRecord[] = [];
  /** Index of the oldest record not yet taken (taken ones are dropped in chunks). */
  #head = 0;
  /** While the loop sleeps: the record count that wakes it, and how. */
  #wakeAt = 0;
  #wake: (() => void) | undefined;
  #stopped = false;

  get available(): number {
    return this.#records.length - this.#head;
  }

  /** Queues one record; wakes the loop when it asked for this many or the record is not an entry. */
  push(record: QueueRecord): void {
    this.#records.push(record);
    if (this.#wake !== undefined && (this.available >= this.#wakeAt || record.kind !== RecordKind.ENTRY)) this.#wakeUp();
  }

  /** Drops every record not yet taken and wakes the loop for good (terminate, backend failure). */
  stop(): void {
    this.#stopped = true;
    this.#records = [];
    this.#head = 0;
    this.#wakeUp();
  }

  take(limit: number, stopAfter: (record: QueueRecord) => boolean): QueueRecord[] {
    const end = Math.min(this.#records.length, this.#head + limit);
    let index = this.#head;
    while (index < end) {
      if (stopAfter(this.#records[index++]!)) break;
    }
    const taken = this.#records.slice(this.#head, index);
    this.#head = index;
    if (this.#head === this.#records.length) {
      this.#records = [];
      this.#head = 0;
    } else if (this.#head >= 4096) {
      this.#records = this.#records.slice(this.#head);
      this.#head = 0;
    }
    return taken;
  }

  sleep(wakeAt: number, timeoutMs: number, settles: Promise<void> | undefined, holdsWork: boolean): Promise<void> | undefined {
    if (this.#stopped) return undefined;
    const available = this.available;
    if (available >= wakeAt) return undefined;
    if (available > 0) {
      for (let i = this.#head; i < this.#records.length; i++) if (this.#records[i]!.kind !== RecordKind.ENTRY) return undefined;
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.#wakeUp(), timeoutMs);
      // An idle writer must not keep its process alive; a batch waiting for its deadline must.
      if (!holdsWork) timer.unref();
      this.#wakeAt = wakeAt;
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
      settles?.then(
        () => this.#wakeUp(),
        () => this.#wakeUp(),
      );
    });
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    this.#wakeAt = 0;
    wake?.();
  }
}
