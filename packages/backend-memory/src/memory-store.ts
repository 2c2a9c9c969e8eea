/** One open run held in process memory: the `EventStore` of the memory backend, on `AbstractEventStore`. */
import { type BackendCapabilities, decodeEntry, type RunManifest } from '@tapelog/core';
import { AbstractEventStore, type CommitFaults, type PreparedBatch, type StoredRow } from '@tapelog/core/backend';
import { largestSeq, type MemoryRunRecord } from './run-record.js';

/**
 * `pipelinedAppends` holds through the base class queue. `persistent` is false: nothing
 * outlives the provider, so the suite's durability and crash areas are skipped.
 */
export const MEMORY_CAPABILITIES: BackendCapabilities = Object.freeze({
  persistent: false,
  snapshotAnchors: true,
  readOnlyOpen: true,
  tamper: true,
  pipelinedAppends: true,
  faultInjection: true,
  indexLedger: true,
});

export type StoreMode = 'write' | 'read-only';

export class MemoryEventStore extends AbstractEventStore {
  readonly capabilities = MEMORY_CAPABILITIES;
  readonly #record: MemoryRunRecord;
  readonly #faults: CommitFaults | undefined;

  constructor(record: MemoryRunRecord, manifest: RunManifest, location: string, mode: StoreMode, faults?: CommitFaults) {
    super({ location, manifest, highWatermark: largestSeq(record), maxTsInit: largestTsInit(record), readOnly: mode === 'read-only' });
    this.#record = record;
    this.#faults = faults;
    record.open = true;
  }

  protected async _appendRows(batch: PreparedBatch): Promise<void> {
    this.#faults?.take(this.location);
    for (let i = 0; i < batch.records.length; i++) this.#record.entries.set(batch.firstSeq + i, batch.records[i]!);
    for (const { kind, key, seq } of batch.indexRows) {
      let index = this.#record.indices.get(kind);
      if (index === undefined) {
        index = new Map();
        this.#record.indices.set(kind, index);
      }
      index.set(key, seq);
    }
  }

  protected async _readRange(lo: number, hi: number): Promise<StoredRow[]> {
    const rows: StoredRow[] = [];
    for (let seq = lo; seq <= hi; seq++) {
      const bytes = this.#record.entries.get(seq);
      if (bytes !== undefined) rows.push([seq, bytes]);
    }
    return rows;
  }

  protected async _readSeq(seq: number): Promise<Uint8Array | undefined> {
    return this.#record.entries.get(seq);
  }

  protected async _readIndexSeqs(keys: ReadonlyArray<{ kind: string; key: string }>): Promise<Array<number | undefined>> {
    return keys.map(({ kind, key }) => this.#record.indices.get(kind)?.get(key));
  }

  protected async _readIndexRows(kind: string): Promise<Array<[string, number]>> {
    return [...(this.#record.indices.get(kind) ?? [])];
  }

  protected async _readIndexKinds(): Promise<string[]> {
    return [...this.#record.indices].filter(([, index]) => index.size > 0).map(([kind]) => kind);
  }

  protected override async _readAnchorRecord(): Promise<Uint8Array | undefined> {
    return this.#record.anchor;
  }

  protected override async _writeAnchorRecord(record: Uint8Array): Promise<void> {
    this.#record.anchor = record;
  }

  protected override async _readIndexLedger(): Promise<Uint8Array | undefined> {
    return this.#record.indexLedger;
  }

  protected override async _writeIndexLedger(record: Uint8Array): Promise<void> {
    this.#record.indexLedger = record;
  }

  protected async _writeManifest(record: Uint8Array): Promise<void> {
    this.#record.manifest = record;
  }

  protected async _close(): Promise<void> {
    this.#record.open = false;
  }
}

/** The largest tsInit stored; a damaged row never prevents opening (reads report it as CORRUPTED). */
function largestTsInit(record: MemoryRunRecord): bigint {
  let largest = 0n;
  for (const bytes of record.entries.values()) {
    try {
      const { tsInit } = decodeEntry(bytes);
      if (tsInit > largest) largest = tsInit;
    } catch {
      // Skipped: see above.
    }
  }
  return largest;
}
