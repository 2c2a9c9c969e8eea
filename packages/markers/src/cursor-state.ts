/**
 * Per-run stream cursors: slot assignment by topic in first-observation order, the dictionary
 * entries new slots produce, cumulative counts and `tsInit` high-water marks, same-timestamp
 * ordinals, and the dirty set a cursor snapshot drains.
 */
import type { DataClass } from './data-class.js';
import type { DataCursorSnapshot, StreamCursor, StreamDictEntry } from './model.js';

const MAX_SLOT = 0xffffffff;

/** One slot's running state. Exposed so the capture hot path can skip a second topic lookup. */
export interface SlotCursor {
  readonly slot: number;
  tsInitHi: bigint;
  count: number;
  lastTsInit: bigint;
  sameTsCount: number;
  dirty: boolean;
}

export class CursorState {
  readonly #slotsByTopic = new Map<string, SlotCursor>();
  #slotCount = 0;
  #dirty: SlotCursor[] = [];
  #pendingDict: StreamDictEntry[] = [];

  /** The slot already assigned to `topic`, if any. */
  slotFor(topic: string): SlotCursor | undefined {
    return this.#slotsByTopic.get(topic);
  }

  /**
   * Assigns the next slot to `topic` and queues its dictionary entry. Slots are keyed by topic
   * alone, so the entry records the identifier of the first message seen on it.
   */
  addSlot(topic: string, dataClass: DataClass, identifier: string): SlotCursor {
    if (this.#slotCount > MAX_SLOT) throw new RangeError(`marker slot space exhausted (${MAX_SLOT + 1} streams)`);
    const cursor: SlotCursor = { slot: this.#slotCount++, tsInitHi: 0n, count: 0, lastTsInit: 0n, sameTsCount: 0, dirty: false };
    this.#slotsByTopic.set(topic, cursor);
    this.#pendingDict.push({ slot: cursor.slot, dataClass, identifier });
    return cursor;
  }

  /**
   * Counts one record and returns its same-timestamp ordinal. Any change of `tsInit`, a decrease
   * included, starts a new run at 0: detecting out-of-order data is the verifier's job.
   */
  advanceSlot(cursor: SlotCursor, tsInit: bigint): number {
    let ordinal = 0;
    if (cursor.count === 0 || tsInit !== cursor.lastTsInit) {
      cursor.lastTsInit = tsInit;
      cursor.sameTsCount = 0;
    } else {
      ordinal = ++cursor.sameTsCount;
    }
    cursor.count++;
    if (tsInit > cursor.tsInitHi) cursor.tsInitHi = tsInit;
    if (!cursor.dirty) {
      cursor.dirty = true;
      this.#dirty.push(cursor);
    }
    return ordinal;
  }

  /** Slot lookup (or assignment) plus advance, in one call. */
  advance(topic: string, dataClass: DataClass, identifier: string, tsInit: bigint): { slot: number; ordinal: number } {
    const cursor = this.slotFor(topic) ?? this.addSlot(topic, dataClass, identifier);
    const ordinal = this.advanceSlot(cursor, tsInit);
    return { slot: cursor.slot, ordinal };
  }

  /** True when a dictionary entry is waiting (cheap check for the hot path). */
  get hasNewDictEntries(): boolean {
    return this.#pendingDict.length > 0;
  }

  /** The queued dictionary entries in slot order; each is returned exactly once. */
  takeNewDictEntries(): StreamDictEntry[] {
    const entries = this.#pendingDict;
    this.#pendingDict = [];
    return entries;
  }

  /** True when some slot advanced since the last snapshot. */
  get isDirty(): boolean {
    return this.#dirty.length > 0;
  }

  /**
   * Drains the dirty slots into a snapshot (ascending slot order, cumulative values), or returns
   * undefined when nothing advanced, so a quiet interval consumes no marker sequence number.
   */
  buildSnapshot(markerSeq: number, eventSeqBefore: number, tsInit: bigint): DataCursorSnapshot | undefined {
    if (this.#dirty.length === 0) return undefined;
    const dirty = this.#dirty;
    this.#dirty = [];
    dirty.sort((a, b) => a.slot - b.slot);
    const advanced: StreamCursor[] = new Array(dirty.length);
    for (let i = 0; i < dirty.length; i++) {
      const cursor = dirty[i]!;
      cursor.dirty = false;
      advanced[i] = { slot: cursor.slot, tsInitHi: cursor.tsInitHi, count: cursor.count };
    }
    return { markerSeq, eventSeqBefore, tsInit, advanced };
  }

  /** The current cursor of a slot (for tests and diagnostics). */
  cursorOf(topic: string): StreamCursor | undefined {
    const cursor = this.#slotsByTopic.get(topic);
    return cursor && { slot: cursor.slot, tsInitHi: cursor.tsInitHi, count: cursor.count };
  }

  get slotCount(): number {
    return this.#slotCount;
  }
}
