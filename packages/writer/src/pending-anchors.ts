/**
 * Snapshot anchors waiting for the writer loop's reply, by request id: both writers queue an
 * anchor record carrying the id and settle the caller's promise from the loop's reply.
 */
import type { SnapshotAnchor } from '@tapelog/core';
import { deferred, type Pending } from './deferred.js';
import { deserializeError, type WorkerReply } from './worker-protocol.js';

export class PendingAnchors {
  #nextId = 1;
  readonly #pending = new Map<number, Pending<SnapshotAnchor>>();

  /** A new request id and the promise its reply settles. */
  open(): { id: number; reply: Promise<SnapshotAnchor> } {
    const id = this.#nextId++;
    const pending = deferred<SnapshotAnchor>();
    this.#pending.set(id, pending);
    return { id, reply: pending.promise };
  }

  /** Stops waiting for `id` (its record never entered the queue, or its ack stalled). */
  forget(id: number): void {
    this.#pending.delete(id);
  }

  /** Settles the anchor a reply names; false when the reply is not about an anchor. */
  settle(message: WorkerReply): boolean {
    if (message.type === 'anchor-recorded') {
      this.#pending.get(message.id)?.resolve(message.anchor);
    } else if (message.type === 'anchor-failed') {
      this.#pending.get(message.id)?.reject(deserializeError(message.error));
    } else {
      return false;
    }
    this.#pending.delete(message.id);
    return true;
  }

  /** Rejects every anchor still waiting (the writer ended without answering them). */
  rejectAll(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}
