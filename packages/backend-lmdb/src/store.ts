/**
 * One open run on LMDB: `LmdbEventStore` implements the storage primitives of
 * `AbstractEventStore`, which enforces the contract. Every write is one LMDB write transaction,
 * acknowledged only once lmdb-js reports it flushed to disk; the base class moves the
 * high-watermark after that. An append commits on lmdb-js's write thread, so the calling thread
 * (in the kernel, the worker writer draining its queue) is not blocked while the commit syncs. Entries are stored as blocks (one row per batch of up to 256
 * entries, see entry-blocks.ts in @tapelog/core/backend): a put per entry cost more CPU than
 * the whole synced commit of a 512-entry batch.
 */
import { type BackendCapabilities, corruptedError, INDEX_KIND_PATTERN, invalidArgumentError, type RunManifest } from '@tapelog/core';
import {
  AbstractEventStore,
  type PreparedBatch,
  recordOfBlockRow,
  rowsOfBlocks,
  type StoredRow,
  type StoreHooks,
  type StoreInit,
  splitIntoBlocks,
  writeManifestCopy,
} from '@tapelog/core/backend';

import { type RunEnvironment, readAnchorRow } from './environment.js';
import { mapStorageError } from './error-mapping.js';
import {
  ANCHOR_KEY,
  checksummed,
  decodeIndexValue,
  encodeIndexValue,
  indexKindBounds,
  indexRowKey,
  MANIFEST_KEY,
  seqKey,
  seqOfKey,
  writeSeqKey,
} from './rows.js';
import { writeSealDigest } from './seal-digest.js';

/** What the LMDB backend declares: everything, including tamper and fault hooks for tests. */
export const capabilities: BackendCapabilities = Object.freeze({
  persistent: true,
  snapshotAnchors: true,
  readOnlyOpen: true,
  tamper: true,
  pipelinedAppends: true,
  faultInjection: true,
});

/** The longest index row key (kind ‖ 0x00 ‖ UTF-8 key) lmdb-js stores: its key size limit. */
export const MAX_INDEX_ROW_KEY_BYTES = 1978;

export interface LmdbEventStoreState extends StoreInit, StoreHooks {
  environment: RunEnvironment;
}

export class LmdbEventStore extends AbstractEventStore {
  readonly capabilities: BackendCapabilities = capabilities;
  readonly #environment: RunEnvironment;
  readonly #hooks: StoreHooks;
  #sealedHere = false;

  constructor(state: LmdbEventStoreState) {
    super(state);
    this.#environment = state.environment;
    this.#hooks = state;
  }

  protected async _appendRows(batch: PreparedBatch): Promise<void> {
    const { entries, index } = this.#environment;
    try {
      this.#hooks.faults.take(this.location);
      // A child transaction, not a plain asynchronous one: lmdb-js aborts a child whose callback
      // throws, so a refused batch leaves nothing behind. Its commit is durable once `flushed`
      // resolves below (one fdatasync per commit, checked by the conformance sync audit).
      await this.#environment.root.childTransaction(() => {
        // One key buffer for the whole batch: inside a write transaction lmdb-js copies the key as each put runs.
        const key = Buffer.allocUnsafe(8);
        for (const [lastIndex, value] of splitIntoBlocks(batch.records)) entries.putSync(writeSeqKey(key, batch.firstSeq + lastIndex), value);
        for (const row of batch.indexRows) {
          const key = indexRowKey(row.kind, row.key);
          // LMDB keys are bounded; the child transaction aborts, so nothing of the batch lands.
          if (key.length > MAX_INDEX_ROW_KEY_BYTES) {
            throw invalidArgumentError(
              `index key ${row.kind} of seq ${row.seq} is ${key.length - row.kind.length - 1} bytes long; the LMDB backend of run ${this.location} takes keys of at most ${MAX_INDEX_ROW_KEY_BYTES - row.kind.length - 1} bytes`,
            );
          }
          index.putSync(key, encodeIndexValue(key, row.seq));
        }
      });
    } catch (error) {
      throw mapStorageError(error, `append seq ${batch.firstSeq}..${batch.lastSeq} to run`, this.location);
    }
    await this.#flushed(`append seq ${batch.firstSeq}..${batch.lastSeq} to run`);
  }

  /** The records of `lo..hi` from the blocks covering them: the first keyed at or after `lo`, and on until `hi` is covered. */
  protected async _readRange(lo: number, hi: number): Promise<StoredRow[]> {
    try {
      return rowsOfBlocks(blockRows(this.#environment.entries, lo), seqOfKey, lo, hi, this.location);
    } catch (error) {
      throw mapStorageError(error, `scan seq ${lo}..${hi} of run`, this.location);
    }
  }

  protected async _readSeq(seq: number): Promise<Uint8Array | undefined> {
    let record: Uint8Array | undefined;
    try {
      // Parsed inside the loop: lmdb-js may reuse the key's bytes once the cursor moves on.
      for (const [key, value] of blockRows(this.#environment.entries, seq, 1)) record = recordOfBlockRow(seqOfKey(key), key, value, seq, this.location);
    } catch (error) {
      throw mapStorageError(error, `read entry seq=${seq} of run`, this.location);
    }
    return record;
  }

  protected async _readIndexSeqs(keys: ReadonlyArray<{ kind: string; key: string }>): Promise<Array<number | undefined>> {
    return keys.map(({ kind, key }) => {
      const rowKey = indexRowKey(kind, key);
      let value: Buffer | undefined;
      try {
        value = this.#environment.index.getBinary(rowKey) ?? undefined;
      } catch (error) {
        throw mapStorageError(error, `read index ${kind} of run`, this.location);
      }
      return value === undefined ? undefined : this.#decodeIndexValue(rowKey, value, kind, key);
    });
  }

  protected async _readIndexRows(kind: string): Promise<Array<[key: string, seq: number]>> {
    const { start, end } = indexKindBounds(kind);
    const rows: Array<[string, number]> = [];
    try {
      for (const { key: rowKey, value } of this.#environment.index.getRange({ start, end })) {
        const key = (rowKey as Buffer).toString('utf8', start.length);
        rows.push([key, this.#decodeIndexValue(rowKey as Buffer, value, kind, key)]);
      }
    } catch (error) {
      throw mapStorageError(error, `read index ${kind} of run`, this.location);
    }
    return rows;
  }

  /** One seek per kind: each skips past the rows of the kind found before it. */
  protected async _readIndexKinds(): Promise<string[]> {
    const kinds: string[] = [];
    let from: Buffer | undefined;
    for (;;) {
      let first: Buffer | undefined;
      try {
        for (const key of this.#environment.index.getKeys(from === undefined ? { limit: 1 } : { start: from, limit: 1 })) first = key as Buffer;
      } catch (error) {
        throw mapStorageError(error, 'list index kinds of run', this.location);
      }
      if (first === undefined) return kinds;
      const terminator = first.indexOf(0);
      const kind = terminator < 1 ? '' : first.toString('latin1', 0, terminator);
      if (!INDEX_KIND_PATTERN.test(kind)) {
        throw corruptedError(`index row key ${first.toString('hex')} of run ${this.location} is malformed; quarantine the run and verify it`);
      }
      kinds.push(kind);
      from = indexKindBounds(kind).end;
    }
  }

  protected override async _readAnchorRecord(): Promise<Uint8Array | undefined> {
    return readAnchorRow(this.#environment, this.location);
  }

  protected override async _writeAnchorRecord(record: Uint8Array): Promise<void> {
    await this.#putMeta(ANCHOR_KEY, checksummed(record), 'record snapshot anchor of run');
  }

  protected async _writeManifest(record: Uint8Array, sealed: RunManifest): Promise<void> {
    await this.#putMeta(MANIFEST_KEY, checksummed(record), `seal (${sealed.status})`);
    this.#sealedHere = true;
    // The seal is durable from here on; the copy only makes listings fast, so a failure is a warning.
    try {
      await writeManifestCopy(this.location, sealed);
    } catch (error) {
      this.#hooks.warn(
        `run ${this.location} is sealed, but its manifest copy could not be written (listings will read the environment instead): ${(error as Error).message}`,
        error,
      );
    }
  }

  protected async _close(): Promise<void> {
    try {
      await this.#environment.root.close();
    } catch (error) {
      throw mapStorageError(error, 'close the LMDB environment of run', this.location);
    } finally {
      this.#hooks.onClose?.();
    }
    // Written once the environment is closed, so the digest covers the file exactly as it stays.
    if (this.#sealedHere) {
      try {
        await writeSealDigest(this.location);
      } catch (error) {
        this.#hooks.warn(
          `run ${this.location} is sealed, but its seal digest could not be written (sealed opens will trust the file unchecked): ${(error as Error).message}`,
          error,
        );
      }
    }
  }

  async #putMeta(key: Buffer, value: Buffer, action: string): Promise<void> {
    try {
      this.#environment.root.transactionSync(() => this.#environment.meta.putSync(key, value));
    } catch (error) {
      throw mapStorageError(error, action, this.location);
    }
    await this.#flushed(action);
  }

  /** Waits until every commit so far is on disk (lmdb-js syncs in the background after a commit). */
  async #flushed(action: string): Promise<void> {
    try {
      await this.#environment.root.flushed;
    } catch (error) {
      throw mapStorageError(error, action, this.location);
    }
  }

  #decodeIndexValue(rowKey: Buffer, value: Uint8Array, kind: string, key: string): number {
    const seq = decodeIndexValue(rowKey, value);
    if (seq === undefined) {
      throw corruptedError(
        `index row ${kind}=${JSON.stringify(key)} of run ${this.location} is malformed or fails its checksum; quarantine the run and verify it`,
      );
    }
    return seq;
  }
}

/** The entry block rows keyed at or after `from` (keys are last seqs, so the first holds `from` when any does), in key order. */
function* blockRows(entries: RunEnvironment['entries'], from: number, limit?: number): Generator<readonly [Buffer, Buffer]> {
  for (const { key, value } of entries.getRange(limit === undefined ? { start: seqKey(from) } : { start: seqKey(from), limit })) {
    yield [key as Buffer, value];
  }
}
