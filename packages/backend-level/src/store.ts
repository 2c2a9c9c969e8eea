/**
 * One open run on LevelDB: `LevelEventStore` implements the storage primitives of
 * `AbstractEventStore`, which enforces the contract. Every write is one atomic batch synced to
 * disk before the base class moves the high-watermark; entries are stored as blocks (one row per
 * batch, see entry-blocks.ts in @tapelog/core/backend).
 */
import { type BackendCapabilities, corruptedError, INDEX_KIND_PATTERN, type RunManifest } from '@tapelog/core';
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

import { type RunDatabase, readRow } from './database.js';
import { mapStorageError } from './error-mapping.js';
import {
  ANCHOR_KEY,
  ENTRY_KEYSPACE_END,
  entryKey,
  INDEX_KEYSPACE_END,
  INDEX_KEYSPACE_START,
  INDEX_LEDGER_KEY,
  indexKey,
  indexKindRange,
  KEYSPACE_END,
  KEYSPACE_START,
  MANIFEST_KEY,
  seqOfEntryKey,
} from './keys.js';
import { decodeIndexValue, encodeIndexValue, recordOfChecksummedRow, withRecordChecksum } from './row-checksum.js';

/**
 * Bytes a range scan fetches per native call. The default (16 KiB, ~50 entries) made scans
 * cost a thread-pool round trip per few dozen rows; 1 MiB measured ~3.5x faster iteration.
 */
const SCAN_FETCH_BYTES = 1 << 20;

/** What the level backend declares: everything, including tamper and fault hooks for tests. */
export const capabilities: BackendCapabilities = Object.freeze({
  persistent: true,
  snapshotAnchors: true,
  readOnlyOpen: true,
  tamper: true,
  pipelinedAppends: true,
  faultInjection: true,
  indexLedger: true,
});

export interface LevelEventStoreState extends StoreInit, StoreHooks {
  db: RunDatabase;
}

export class LevelEventStore extends AbstractEventStore {
  readonly capabilities: BackendCapabilities = capabilities;
  readonly #db: RunDatabase;
  readonly #hooks: StoreHooks;
  /** The last block a range read returned, and the seq that read went up to (see #readBlocks). */
  #carriedBlock: { readTo: number; row: [Buffer, Buffer] } | undefined;

  constructor(state: LevelEventStoreState) {
    super(state);
    this.#db = state.db;
    this.#hooks = state;
  }

  protected async _appendRows(batch: PreparedBatch): Promise<void> {
    try {
      const write = this.#db.batch();
      for (const [lastIndex, value] of splitIntoBlocks(batch.records)) write.put(entryKey(batch.firstSeq + lastIndex), value);
      for (const row of batch.indexRows) {
        const key = indexKey(row.kind, row.key);
        write.put(key, encodeIndexValue(key, row.seq));
      }
      this.#hooks.faults.take(this.location);
      await write.write({ sync: true });
    } catch (error) {
      throw mapStorageError(error, `append seq ${batch.firstSeq}..${batch.lastSeq} to run`, this.location);
    }
  }

  /**
   * The records of `lo..hi` from the blocks covering them: those keyed inside the range, plus
   * the one after it when the range ends inside a block (keys are last seqs). A damaged block
   * becomes an error row at the first seq needed from it, so damage is reported in seq order.
   */
  protected async _readRange(lo: number, hi: number): Promise<StoredRow[]> {
    let blocks: Array<[Buffer, Buffer]>;
    try {
      blocks = await this.#readBlocks(lo, hi);
    } catch (error) {
      throw mapStorageError(error, `scan seq ${lo}..${hi} of run`, this.location);
    }
    return rowsOfBlocks(blocks, seqOfEntryKey, lo, hi, this.location);
  }

  protected async _readSeq(seq: number): Promise<Uint8Array | undefined> {
    let rows: Array<[Buffer, Buffer]>;
    try {
      rows = await this.#db.iterator({ gte: entryKey(seq), lt: ENTRY_KEYSPACE_END, limit: 1 }).all();
    } catch (error) {
      throw mapStorageError(error, `read entry seq=${seq} of run`, this.location);
    }
    const row = rows[0];
    if (row === undefined) return undefined;
    return recordOfBlockRow(seqOfEntryKey(row[0]), row[0], row[1], seq, this.location);
  }

  protected async _readIndexSeqs(keys: ReadonlyArray<{ kind: string; key: string }>): Promise<Array<number | undefined>> {
    const rowKeys = keys.map(({ kind, key }) => indexKey(kind, key));
    let values: Array<Buffer | undefined>;
    try {
      values = rowKeys.length === 1 ? [await this.#db.get(rowKeys[0]!)] : await this.#db.getMany(rowKeys);
    } catch (error) {
      throw mapStorageError(error, `read index rows of run`, this.location);
    }
    return values.map((value, i) => (value === undefined ? undefined : this.#decodeIndexValue(rowKeys[i]!, value, keys[i]!.kind, keys[i]!.key)));
  }

  protected async _readIndexRows(kind: string): Promise<Array<[key: string, seq: number]>> {
    const { start, end, prefixLength } = indexKindRange(kind);
    let rows: Array<[string, string]>;
    try {
      // Index rows are UTF-8 keys and ASCII values, so they are read as strings: a native
      // buffer per row would cost several times more than the whole check.
      rows = await readAll(
        this.#db.iterator<string, string>({
          gte: start.toString('latin1'),
          lt: end.toString('latin1'),
          keyEncoding: 'utf8',
          valueEncoding: 'utf8',
          highWaterMarkBytes: SCAN_FETCH_BYTES,
        }),
      );
    } catch (error) {
      throw mapStorageError(error, `read index ${kind} of run`, this.location);
    }
    return rows.map(([rowKey, value]): [string, number] => {
      const key = rowKey.slice(prefixLength);
      return [key, this.#decodeIndexValue(rowKey, value, kind, key)];
    });
  }

  /** One seek per kind: each skips past the rows of the kind found before it. */
  protected async _readIndexKinds(): Promise<string[]> {
    const kinds: string[] = [];
    let from = INDEX_KEYSPACE_START;
    for (;;) {
      let keys: Buffer[];
      try {
        keys = await this.#db.keys({ gte: from, lt: INDEX_KEYSPACE_END, limit: 1 }).all();
      } catch (error) {
        throw mapStorageError(error, 'list index kinds of run', this.location);
      }
      const first = keys[0];
      if (first === undefined) return kinds;
      const terminator = first.indexOf(0);
      const kind = terminator < 2 ? '' : first.toString('latin1', 1, terminator);
      if (!INDEX_KIND_PATTERN.test(kind)) {
        throw corruptedError(`index row key ${first.toString('hex')} of run ${this.location} is malformed; quarantine the run and verify it`);
      }
      kinds.push(kind);
      from = indexKindRange(kind).end;
    }
  }

  protected override async _readAnchorRecord(): Promise<Uint8Array | undefined> {
    const value = await readRow(this.#db, ANCHOR_KEY, 'snapshot anchor', this.location);
    if (value === undefined) return undefined;
    const record = recordOfChecksummedRow(value);
    if (record === undefined) throw corruptedError(`decode snapshot anchor: checksum mismatch (run ${this.location}); quarantine the run and verify it`);
    return record;
  }

  protected override async _writeAnchorRecord(record: Uint8Array): Promise<void> {
    try {
      await this.#db.put(ANCHOR_KEY, withRecordChecksum(record), { sync: true });
    } catch (error) {
      throw mapStorageError(error, 'record snapshot anchor of run', this.location);
    }
  }

  protected override async _readIndexLedger(): Promise<Uint8Array | undefined> {
    const value = await readRow(this.#db, INDEX_LEDGER_KEY, 'index ledger', this.location);
    if (value === undefined) return undefined;
    const record = recordOfChecksummedRow(value);
    if (record === undefined) throw corruptedError(`decode index ledger: checksum mismatch (run ${this.location}); quarantine the run and verify it`);
    return record;
  }

  protected override async _writeIndexLedger(record: Uint8Array): Promise<void> {
    try {
      await this.#db.put(INDEX_LEDGER_KEY, withRecordChecksum(record), { sync: true });
    } catch (error) {
      throw mapStorageError(error, 'store index ledger of run', this.location);
    }
  }

  protected async _writeManifest(record: Uint8Array, sealed: RunManifest): Promise<void> {
    try {
      await this.#db.put(MANIFEST_KEY, withRecordChecksum(record), { sync: true });
    } catch (error) {
      throw mapStorageError(error, `seal (${sealed.status})`, this.location);
    }
    // The seal is durable from here on; what follows only tidies the artifact, so a failure is
    // reported as a warning rather than as a failed seal.
    try {
      await writeManifestCopy(this.location, sealed);
    } catch (error) {
      this.#hooks.warn(
        `run ${this.location} is sealed, but its manifest copy could not be written (listings will read the LevelDB instead): ${(error as Error).message}`,
        error,
      );
    }
    try {
      // Pushes the memtable and every level into compacted table files, so the write-ahead log
      // of a sealed run is empty and copies of the directory are self-contained.
      await this.#db.compactRange(KEYSPACE_START, KEYSPACE_END);
    } catch (error) {
      this.#hooks.warn(`run ${this.location} is sealed, but compacting it failed: ${(error as Error).message}`, error);
    }
  }

  protected async _close(): Promise<void> {
    try {
      await this.#db.close();
    } catch (error) {
      throw mapStorageError(error, 'close LevelDB of run', this.location);
    } finally {
      this.#hooks.onClose?.();
    }
  }

  /**
   * Reads the blocks covering `from..high`: those keyed inside the range, plus the one after
   * it when the range ends inside a block. Keys are last seqs, so `from` is in the first block.
   * A sequential scan in chunks starts each chunk inside the block that ended the previous one;
   * that block is carried over instead of being read twice.
   */
  async #readBlocks(from: number, high: number): Promise<Array<[Buffer, Buffer]>> {
    const carried = this.#carriedBlock;
    this.#carriedBlock = undefined;
    const carriedSeq = carried !== undefined && carried.readTo === from - 1 ? seqOfEntryKey(carried.row[0]) : undefined;
    const rows: Array<[Buffer, Buffer]> = [];
    if (carriedSeq !== undefined && carriedSeq >= from) rows.push(carried!.row);
    if (carriedSeq === undefined || carriedSeq < from || carriedSeq < high) {
      // Both reads are issued at once (they run on separate pool threads); the trailing block is
      // needed whenever the range ends inside a block, which is the common case.
      const start = rows.length === 0 ? { gte: entryKey(from) } : { gt: rows[0]![0] };
      const [inRange, next] = await Promise.all([
        this.#db.iterator({ ...start, lte: entryKey(high), highWaterMarkBytes: SCAN_FETCH_BYTES }).all(),
        this.#db.iterator({ gt: entryKey(high), lt: ENTRY_KEYSPACE_END, limit: 1 }).all(),
      ]);
      for (const row of inRange) rows.push(row);
      const lastKey = rows.length === 0 ? undefined : seqOfEntryKey(rows[rows.length - 1]![0]);
      if ((lastKey === undefined || lastKey < high) && next.length > 0) rows.push(next[0]!);
    }
    // Blocks are immutable once written (a later append only adds keys above them), so the last
    // one stays valid for the chunk that follows.
    if (rows.length > 0) this.#carriedBlock = { readTo: high, row: rows[rows.length - 1]! };
    return rows;
  }

  #decodeIndexValue(rowKey: Buffer | string, value: Buffer | string, kind: string, key: string): number {
    const seq = decodeIndexValue(rowKey, value);
    if (seq === undefined) {
      throw corruptedError(
        `index row ${kind}=${JSON.stringify(key)} of run ${this.location} is malformed or fails its checksum; quarantine the run and verify it`,
      );
    }
    return seq;
  }
}

/**
 * Every row of an iterator, fetched in large native calls (`all()` asks for 1,000 rows per call,
 * which costs a thread-pool round trip per thousand index rows).
 */
async function readAll<K, V>(iterator: { nextv(size: number): Promise<Array<[K, V]>>; close(): Promise<void> }): Promise<Array<[K, V]>> {
  const rows: Array<[K, V]> = [];
  try {
    for (;;) {
      const chunk = await iterator.nextv(READ_ALL_CHUNK_ROWS);
      if (chunk.length === 0) return rows;
      for (let i = 0; i < chunk.length; i++) rows.push(chunk[i]!);
    }
  } finally {
    await iterator.close();
  }
}

/** Rows asked for per native call by `readAll` (the fetch is also bounded by SCAN_FETCH_BYTES). */
const READ_ALL_CHUNK_ROWS = 65_536;
