/** One open run held in process memory: the `EventStore` of the memory backend. */
import {
  assertContiguousBatch,
  assertValidAnchorShape,
  assertValidIndexKind,
  backendError,
  clipScanRange,
  closedError,
  cloneManifest,
  decodeAnchor,
  decodeCheckedEntry,
  decodeEntry,
  encodeAnchor,
  encodeEntry,
  encodeManifest,
  isSealed,
  maxTsInitOf,
  missingRowError,
  sealedManifest,
  validateSnapshotAnchor,
  validateStoredRange,
  type AppendEntry,
  type BackendCapabilities,
  type EventStore,
  type EventStoreEntry,
  type RunIntegrity,
  type RunManifest,
  type ScanDirection,
  type SealedRunStatus,
  type SnapshotAnchor,
} from '@tapelog/core';
import { largestSeq, type MemoryRunRecord } from './run-record.js';

/**
 * `pipelinedAppends`: `appendBatch` validates and applies a batch before its first await, so
 * overlapping calls are applied whole, one at a time, in call order; a call after a failed one
 * meets the hwm that failure left and is rejected OUT_OF_ORDER.
 */
export const MEMORY_CAPABILITIES: BackendCapabilities = Object.freeze({
  persistent: false,
  snapshotAnchors: true,
  readOnlyOpen: true,
  tamper: true,
  pipelinedAppends: true,
});

export type StoreMode = 'write' | 'read-only';

export class MemoryEventStore implements EventStore {
  readonly capabilities = MEMORY_CAPABILITIES;
  readonly location: string;
  readonly #record: MemoryRunRecord;
  readonly #mode: StoreMode;
  #manifest: RunManifest;
  #highWatermark: number;
  #maxTsInit: bigint;
  #closed = false;

  constructor(record: MemoryRunRecord, manifest: RunManifest, location: string, mode: StoreMode) {
    this.#record = record;
    this.#manifest = manifest;
    this.location = location;
    this.#mode = mode;
    this.#highWatermark = largestSeq(record);
    this.#maxTsInit = 0n;
    for (const bytes of record.entries.values()) {
      try {
        const { tsInit } = decodeEntry(bytes);
        if (tsInit > this.#maxTsInit) this.#maxTsInit = tsInit;
      } catch {
        // A damaged row never prevents opening; reads report it as CORRUPTED.
      }
    }
    record.open = true;
  }

  #assertOpen(): void {
    if (this.#closed) throw closedError(`store of run ${this.location} is closed`);
  }

  #assertWritable(): void {
    this.#assertOpen();
    if (this.#mode === 'read-only' || isSealed(this.#manifest.status)) throw closedError();
  }

  async appendBatch(entries: readonly AppendEntry[]): Promise<number> {
    // No await before the batch has landed: that is what makes pipelinedAppends hold.
    this.#assertWritable();
    if (entries.length === 0) return this.#highWatermark;
    assertContiguousBatch(entries, this.#highWatermark);
    const encoded = entries.map(({ entry }) => encodeEntry(entry));
    for (const { indexKeys } of entries) for (const { kind } of indexKeys) assertValidIndexKind(kind);
    // Validation is complete: from here the batch lands whole.
    for (let i = 0; i < entries.length; i++) {
      const { entry, indexKeys } = entries[i]!;
      this.#record.entries.set(entry.seq, encoded[i]!);
      for (const { kind, key } of indexKeys) {
        let index = this.#record.indices.get(kind);
        if (index === undefined) this.#record.indices.set(kind, (index = new Map()));
        if (!index.has(key)) index.set(key, entry.seq);
      }
    }
    this.#maxTsInit = maxTsInitOf(entries, this.#maxTsInit);
    this.#highWatermark = entries[entries.length - 1]!.entry.seq;
    this.#manifest.highWatermark = this.#highWatermark;
    return this.#highWatermark;
  }

  async scanRange(from: number, to: number, direction: ScanDirection = 'forward'): Promise<EventStoreEntry[]> {
    this.#assertOpen();
    const range = clipScanRange(from, to, this.#highWatermark);
    if (range === undefined) return [];
    const record = this.#record;
    function* rows(): Generator<readonly [number, Uint8Array]> {
      for (let seq = range!.lo; seq <= range!.hi; seq++) {
        const bytes = record.entries.get(seq);
        if (bytes !== undefined) yield [seq, bytes];
      }
    }
    return validateStoredRange(range.lo, range.hi, rows(), direction);
  }

  async scanSeq(seq: number): Promise<EventStoreEntry | undefined> {
    this.#assertOpen();
    if (seq === 0 || seq > this.#highWatermark) return undefined;
    const bytes = this.#record.entries.get(seq);
    if (bytes === undefined) throw missingRowError(seq);
    return decodeCheckedEntry(bytes, seq);
  }

  async lookup(kind: string, key: string): Promise<number | undefined> {
    this.#assertOpen();
    return this.#record.indices.get(kind)?.get(key);
  }

  async iterIndexKeys(kind: string): Promise<Array<[string, number]>> {
    this.#assertOpen();
    return [...(this.#record.indices.get(kind) ?? new Map<string, number>())];
  }

  async indexKinds(): Promise<string[]> {
    this.#assertOpen();
    return [...this.#record.indices].filter(([, index]) => index.size > 0).map(([kind]) => kind);
  }

  async recordSnapshotAnchor(anchor: SnapshotAnchor): Promise<void> {
    this.#assertWritable();
    assertValidAnchorShape(anchor);
    validateSnapshotAnchor(anchor, this.#highWatermark, await this.latestSnapshotAnchor());
    this.#record.anchor = encodeAnchor(anchor);
  }

  async latestSnapshotAnchor(): Promise<SnapshotAnchor | undefined> {
    this.#assertOpen();
    const bytes = this.#record.anchor;
    return bytes === undefined ? undefined : decodeAnchor(bytes);
  }

  async seal(status: SealedRunStatus, chainHead?: string, integrity?: RunIntegrity): Promise<RunManifest> {
    this.#assertOpen();
    if ((status as string) === 'Running') throw backendError('seal status must be a terminal state, was Running');
    this.#assertWritable();
    const sealed = sealedManifest(this.#manifest, status, this.#highWatermark, this.#maxTsInit, chainHead, integrity);
    this.#record.manifest = encodeManifest(sealed);
    this.#manifest = sealed;
    return cloneManifest(sealed);
  }

  async manifest(): Promise<RunManifest> {
    this.#assertOpen();
    return cloneManifest(this.#manifest);
  }

  async highWatermark(): Promise<number> {
    this.#assertOpen();
    return this.#highWatermark;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#record.open = false;
  }
}
