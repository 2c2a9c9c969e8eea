/**
 * Reading a marker store back: fold the cursor snapshots up to an event-store seq, and resolve
 * slots through the stream dictionary. Use the verifier, not the reader, to check hashes.
 */
import type { MarkerBackend } from './marker-backend.js';
import type { StreamCursor, StreamDictEntry } from './model.js';

export class MarkerReader {
  constructor(private readonly backend: MarkerBackend) {}

  /**
   * Each slot's latest cursor among the snapshots with `eventSeqBefore <= eventSeq`. Snapshots
   * past the boundary are skipped, not a stopping point. Because entry-boundary snapshots carry
   * the seq of the entry that triggered them, the result lies between "just before entry N" and
   * "just before entry N+1".
   */
  async foldTo(eventSeq: number): Promise<Map<number, StreamCursor>> {
    const folded = new Map<number, StreamCursor>();
    for (const { record } of await this.backend.scanSnapshots()) {
      if (record.eventSeqBefore > eventSeq) continue;
      for (const cursor of record.advanced) folded.set(cursor.slot, cursor);
    }
    return folded;
  }

  async streamDictionary(): Promise<Map<number, StreamDictEntry>> {
    const dictionary = new Map<number, StreamDictEntry>();
    for (const { record } of await this.backend.scanDict()) dictionary.set(record.slot, record);
    return dictionary;
  }

  /** The dictionary entry of a slot; undefined when unknown (a failing scan propagates, unlike upstream). */
  async resolveSlot(slot: number): Promise<StreamDictEntry | undefined> {
    return (await this.streamDictionary()).get(slot);
  }
}
