/**
 * `AbstractEventStore`: the base class of a backend's open run. Its public methods validate
 * arguments and enforce the storage contract (contiguity, first-write-wins indices, anchor and
 * seal rules, hash checks on every read, one operation at a time); a backend implements only
 * the `_`-prefixed storage primitives. `packages/core/README.md` ("Building on
 * AbstractEventStore") documents every primitive and rule.
 */

import { assertValidAnchorShape, validateSnapshotAnchor } from '../anchor.js';
import type { BackendCapabilities, EntryHashRange, EntryRecordRange, EventStore } from '../backend.js';
import { decodeCheckedEntry, decodeEntry, encodeEntry } from '../codec/entry-codec.js';
import { decodeAnchor, encodeAnchor, encodeManifest } from '../codec/record-codec.js';
import { closedError, corruptedError, gapError, invalidArgumentError, notSupportedError, outOfOrderError, TapelogError } from '../errors.js';
import { computeIndexKindDigest, encodeIndexLedger, readIndexLedgerKind } from '../integrity.js';
import { cloneManifest, isSealed, sealedManifest } from '../manifest.js';
import {
  type AppendEntry,
  type EventStoreEntry,
  RUN_STATUSES,
  type RunIntegrity,
  type RunManifest,
  type RunStatus,
  type ScanDirection,
  type SealedRunStatus,
  type SnapshotAnchor,
} from '../types.js';
import { assertSeq, assertValidIndexKey, assertValidIndexKind } from '../validation.js';
import type { RecordCheckResult } from './record-check.js';
import { recordCheckPool } from './record-check-pool.js';

/** One index row to add: the first seq recorded for (kind, key). */
export interface IndexRow {
  readonly kind: string;
  readonly key: string;
  readonly seq: number;
}

/** A validated batch handed to `_appendRows`: contiguous from `firstSeq`, encoded, its new index rows. */
export interface PreparedBatch {
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** The entries as given to `appendBatch`. */
  readonly entries: readonly AppendEntry[];
  /** `records[i]` is the framed record (`encodeEntry`) of seq `firstSeq + i`: store these bytes. */
  readonly records: readonly Uint8Array[];
  /** Index rows whose (kind, key) the run does not hold yet, one per (kind, key), earliest seq. */
  readonly indexRows: readonly IndexRow[];
  /** The largest tsInit of the batch. */
  readonly maxTsInit: bigint;
}

/**
 * One stored row of a range read: its seq and its framed record bytes, or the error to raise
 * when the read reaches that seq (a row the backend found damaged before decoding).
 */
export type StoredRow = readonly [seq: number, record: Uint8Array | TapelogError];

/** Where an open run starts: what the provider read (or created) before handing the store out. */
export interface StoreInit {
  /** Where the run lives, for messages: a directory path or an address. */
  location: string;
  /** The stored manifest. */
  manifest: RunManifest;
  /** The largest stored seq (the hwm a reopened run resumes from). */
  highWatermark: number;
  /**
   * The largest tsInit stored, when the provider knows it; left out, the base class reads the
   * stored entries once, at seal, to find it (the sealed manifest's endTsInit).
   */
  maxTsInit?: bigint;
  /** Opened by `openSealed`: every write is CLOSED. */
  readOnly: boolean;
}

/** Entries read per `_readRange` call when the largest tsInit must be found at seal. */
const MAX_TS_INIT_CHUNK = 4096;

export abstract class AbstractEventStore implements EventStore {
  abstract readonly capabilities: BackendCapabilities;
  readonly location: string;
  #manifest: RunManifest;
  #highWatermark: number;
  #maxTsInit: bigint | undefined;
  readonly #readOnly: boolean;
  #closed = false;
  #closing: Promise<void> | undefined;
  /** Operations run one at a time, so an append never races a seal, a read or the close. */
  #queue: Promise<unknown> = Promise.resolve();

  protected constructor(init: StoreInit) {
    this.location = init.location;
    this.#manifest = cloneManifest(init.manifest);
    if (!isSealed(init.manifest.status)) this.#manifest.highWatermark = init.highWatermark;
    this.#highWatermark = init.highWatermark;
    this.#maxTsInit = init.maxTsInit;
    this.#readOnly = init.readOnly;
  }

  // ---- primitives a backend implements -------------------------------------------------------

  /**
   * Stores the batch's records and index rows in one atomic, durable commit: when it resolves,
   * every row survives a crash; when it rejects, none landed. Never called concurrently.
   */
  protected abstract _appendRows(batch: PreparedBatch): Promise<void>;
  /**
   * The stored rows of seqs `lo..hi` (within the hwm) in ascending seq order. Missing rows are
   * left out (the caller reports the GAP); bytes are checked by the caller.
   */
  protected abstract _readRange(lo: number, hi: number): Promise<readonly StoredRow[]>;
  /** The stored record of one seq (within the hwm), or undefined when its row is missing. */
  protected abstract _readSeq(seq: number): Promise<Uint8Array | undefined>;
  /** For each (kind, key), the seq stored for it, or undefined. */
  protected abstract _readIndexSeqs(keys: ReadonlyArray<{ kind: string; key: string }>): Promise<Array<number | undefined>>;
  /** Every (key, seq) row of one index kind, in any order. */
  protected abstract _readIndexRows(kind: string): Promise<Array<[key: string, seq: number]>>;
  /** Every index kind holding at least one row, in any order. */
  protected abstract _readIndexKinds(): Promise<string[]>;
  /** Durably replaces the stored manifest (called once, by seal); `record` is `encodeManifest(manifest)`. */
  protected abstract _writeManifest(record: Uint8Array, manifest: RunManifest): Promise<void>;
  /** Releases the backend's handles. Called once, after every earlier operation settled. */
  protected abstract _close(): Promise<void>;

  /** The stored anchor record (`encodeAnchor`), or undefined. Needed when `capabilities.snapshotAnchors`. */
  protected _readAnchorRecord(): Promise<Uint8Array | undefined> {
    return Promise.resolve(undefined);
  }

  /** Durably replaces the stored anchor record. Needed when `capabilities.snapshotAnchors`. */
  protected _writeAnchorRecord(_record: Uint8Array): Promise<void> {
    return Promise.reject(notSupportedError(`snapshot anchors in run ${this.location}`));
  }

  /** The stored index ledger record, or undefined. Needed when `capabilities.indexLedger`. */
  protected _readIndexLedger(): Promise<Uint8Array | undefined> {
    return Promise.resolve(undefined);
  }

  /**
   * Durably stores the index ledger (called by seal, before `_writeManifest`, once). Needed when
   * `capabilities.indexLedger`.
   */
  protected _writeIndexLedger(_record: Uint8Array): Promise<void> {
    return Promise.reject(notSupportedError(`an index ledger in run ${this.location}`));
  }

  // ---- what subclasses may read -------------------------------------------------------------

  /** The run's current status (a provider answers reopen attempts with it). */
  get status(): RunStatus {
    return this.#manifest.status;
  }

  /** True once `close` was called. */
  protected get isClosed(): boolean {
    return this.#closed;
  }

  // ---- the contract -------------------------------------------------------------------------

  /**
   * Validates and encodes the batch at once, then queues the commit behind earlier operations,
   * so a caller may issue the next batch while one is being made durable: each call is checked
   * against the hwm the earlier ones left.
   */
  async appendBatch(entries: readonly AppendEntry[]): Promise<number> {
    if (!Array.isArray(entries)) throw new TypeError('appendBatch expects an array of entries');
    let prepared: (Omit<PreparedBatch, 'firstSeq' | 'lastSeq' | 'indexRows'> & { indexRows: IndexRow[] }) | undefined;
    if (entries.length > 0 && !this.#closed) {
      this.#assertWritable();
      prepared = prepareBatch(entries, this.location);
    }
    return this.#exclusive(async () => {
      this.#assertWritable();
      if (prepared === undefined) return this.#highWatermark;
      const durable = this.#highWatermark;
      for (let i = 0; i < entries.length; i++) {
        const seq = entries[i]!.entry.seq;
        if (seq !== durable + 1 + i) throw outOfOrderError(durable, seq);
      }
      let indexRows: IndexRow[] = prepared.indexRows;
      if (indexRows.length > 0) {
        const existing = await this._readIndexSeqs(indexRows);
        indexRows = indexRows.filter((_, i) => existing[i] === undefined);
      }
      const last = durable + entries.length;
      await this._appendRows({ ...prepared, firstSeq: durable + 1, lastSeq: last, indexRows });
      this.#highWatermark = last;
      if (this.#maxTsInit !== undefined && prepared.maxTsInit > this.#maxTsInit) this.#maxTsInit = prepared.maxTsInit;
      this.#manifest.highWatermark = last;
      return last;
    });
  }

  async scanRange(from: number, to: number, direction: ScanDirection = 'forward'): Promise<EventStoreEntry[]> {
    assertSeq('from', from);
    assertSeq('to', to);
    if (direction !== 'forward' && direction !== 'reverse') throw new TypeError(`direction must be 'forward' or 'reverse', got ${String(direction)}`);
    const read = await this.#readStoredRange(from, to);
    if (read === undefined) return [];
    const entries = this.#validateRange(from, read.hi, read.rows);
    return direction === 'reverse' ? entries.reverse() : entries;
  }

  /**
   * The stored hashes of `from..to`: the same read and the same checks as `scanRange`, with the
   * records checked on the record-check threads (see `#checkedRecords`).
   */
  async scanEntryHashes(from: number, to: number): Promise<EntryHashRange> {
    const checked = await this.#checkedRecords(from, to);
    if (checked === undefined) return { from, to: from - 1, hashes: new Uint8Array(0), minTsInit: undefined, maxTsInit: undefined };
    const { result } = checked;
    return { from, to: checked.to, hashes: result.hashes, minTsInit: result.minTsInit, maxTsInit: result.maxTsInit };
  }

  /** The stored records of `from..to`, read and checked as `scanEntryHashes` reads and checks them. */
  async scanRecords(from: number, to: number): Promise<EntryRecordRange> {
    const checked = await this.#checkedRecords(from, to);
    if (checked === undefined) return { from, to: from - 1, bytes: new Uint8Array(0), offsets: new Uint32Array(1) };
    return { from, to: checked.to, bytes: checked.result.bytes, offsets: checked.result.offsets };
  }

  /**
   * The records of `from..to` read as `scanRange` reads them and checked on the record-check
   * threads, or undefined when none is in the range. A chunk that fails there is checked again
   * here, so the error thrown is exactly the one `scanRange` throws.
   */
  async #checkedRecords(from: number, to: number): Promise<{ to: number; result: RecordCheckResult } | undefined> {
    assertSeq('from', from);
    assertSeq('to', to);
    const read = await this.#readStoredRange(from, to);
    if (read === undefined) return undefined;
    const records = contiguousRecords(from, read.hi, read.rows);
    const checked = records === undefined ? undefined : await recordCheckPool.check(from, records);
    if (checked === undefined || checked.failedIndex >= 0) {
      this.#validateRange(from, read.hi, read.rows);
      throw corruptedError(`records of seq ${from}..${read.hi} in run ${this.location} failed a check that a second reading passed; verify the run`, {
        seq: from,
      });
    }
    return { to: read.hi, result: checked };
  }

  /**
   * The stored rows of `from..to` clipped to the hwm, or undefined when none is in it. Only the
   * storage read holds the queue: decoding and hash checks run after it is released.
   */
  #readStoredRange(from: number, to: number): Promise<{ hi: number; rows: readonly StoredRow[] } | undefined> {
    return this.#exclusive(async () => {
      const hi = Math.min(to, this.#highWatermark);
      if (from === 0 || from > hi) return undefined;
      return { hi, rows: await this._readRange(from, hi) };
    });
  }

  async scanSeq(seq: number): Promise<EventStoreEntry | undefined> {
    assertSeq('seq', seq);
    const record = await this.#exclusive(async () => {
      if (seq === 0 || seq > this.#highWatermark) return null;
      return this._readSeq(seq);
    });
    if (record === null) return undefined;
    if (record === undefined) throw gapError(seq - 1, seq + 1, seq);
    return this.#decode(record, seq);
  }

  async lookup(kind: string, key: string): Promise<number | undefined> {
    assertValidIndexKey({ kind, key });
    return this.#exclusive(async () => (await this._readIndexSeqs([{ kind, key }]))[0]);
  }

  async lookupMany(kind: string, keys: readonly string[]): Promise<Array<number | undefined>> {
    const requests = keys.map((key) => ({ kind, key }));
    for (const request of requests) assertValidIndexKey(request);
    if (requests.length === 0) return [];
    return this.#exclusive(() => this._readIndexSeqs(requests));
  }

  async iterIndexKeys(kind: string): Promise<Array<[key: string, seq: number]>> {
    assertValidIndexKind(kind);
    return this.#exclusive(() => this._readIndexRows(kind));
  }

  async indexKinds(): Promise<string[]> {
    return this.#exclusive(() => this._readIndexKinds());
  }

  async recordSnapshotAnchor(anchor: SnapshotAnchor): Promise<void> {
    if (!this.capabilities.snapshotAnchors) throw notSupportedError(`snapshot anchors in run ${this.location}`);
    assertValidAnchorShape(anchor);
    return this.#exclusive(async () => {
      this.#assertWritable();
      validateSnapshotAnchor(anchor, this.#highWatermark, await this.#readAnchor());
      await this._writeAnchorRecord(encodeAnchor(anchor));
    });
  }

  async latestSnapshotAnchor(): Promise<SnapshotAnchor | undefined> {
    return this.#exclusive(() => this.#readAnchor());
  }

  async seal(status: SealedRunStatus, chainHead?: string, integrity?: RunIntegrity): Promise<RunManifest> {
    if ((status as string) === 'Running') throw invalidArgumentError(`seal status must be a terminal state, was Running (run ${this.location})`);
    if (!RUN_STATUSES.includes(status)) throw new TypeError(`seal status must be one of Ended, CrashedRecovered, Quarantined, got ${String(status)}`);
    if (chainHead !== undefined && typeof chainHead !== 'string') throw new TypeError('chainHead must be a string when given');
    return this.#exclusive(async () => {
      this.#assertWritable();
      this.#maxTsInit ??= await this.#storedMaxTsInit();
      const sealed = sealedManifest(this.#manifest, status, this.#highWatermark, this.#maxTsInit, chainHead, integrity);
      if (integrity !== undefined && this.capabilities.indexLedger === true) await this.#writeIndexLedger(integrity);
      await this._writeManifest(encodeManifest(sealed), sealed);
      this.#manifest = sealed;
      return cloneManifest(sealed);
    });
  }

  async sealedIndexRows(kind: string): Promise<Array<[key: string, seq: number]> | undefined> {
    assertValidIndexKind(kind);
    const ledger = await this.#exclusive(() => this._readIndexLedger());
    if (ledger === undefined) return undefined;
    const part = readIndexLedgerKind(ledger, kind);
    if (typeof part === 'string') throw corruptedError(`decode index ledger of run ${this.location}: ${part}; quarantine the run and verify it`);
    return part?.rows;
  }

  async manifest(): Promise<RunManifest> {
    return this.#exclusive(async () => cloneManifest(this.#manifest));
  }

  async highWatermark(): Promise<number> {
    return this.#exclusive(async () => this.#highWatermark);
  }

  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    this.#closed = true;
    this.#closing = this.#queue.then(() => this._close());
    return this.#closing;
  }

  // ---- internals ----------------------------------------------------------------------------

  /** Runs `operation` after every earlier one; refuses new work once `close` was called. */
  #exclusive<T>(operation: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(closedError(`run is closed: the store of ${this.location} was closed; open the run again to use it`));
    const result = this.#queue.then(operation);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  #assertWritable(): void {
    if (this.#readOnly) throw closedError(`run is closed: ${this.location} accepts no writes because it was opened read-only with openSealed`);
    if (isSealed(this.#manifest.status)) {
      throw closedError(`run is closed: ${this.location} accepts no writes because it is sealed (status ${this.#manifest.status})`);
    }
  }

  /** Validates rows of `lo..hi` in ascending order before returning anything: GAP, CORRUPTED, HASH_MISMATCH. */
  #validateRange(lo: number, hi: number, rows: readonly StoredRow[]): EventStoreEntry[] {
    const entries: EventStoreEntry[] = new Array(hi - lo + 1);
    let expected = lo;
    for (let r = 0; r < rows.length && expected <= hi; r++) {
      const row = rows[r]!;
      const seq = row[0];
      if (seq < expected) {
        throw corruptedError(`run ${this.location} returned seq ${seq} again while reading seq ${expected}; quarantine the run and verify it`, {
          seq: expected,
        });
      }
      if (seq > hi) break;
      if (seq !== expected) throw gapError(expected - 1, seq, expected);
      const record = row[1];
      if (!(record instanceof Uint8Array)) throw record;
      entries[seq - lo] = this.#decode(record, seq);
      expected = seq + 1;
    }
    if (expected <= hi) throw gapError(expected - 1, hi + 1, expected);
    return entries;
  }

  /** Decode + hash check, plus a check the entry belongs under its seq (a damaged key must not pass). */
  #decode(record: Uint8Array, seq: number): EventStoreEntry {
    const entry = decodeCheckedEntry(record, seq);
    if (entry.seq !== seq) {
      throw corruptedError(`entry stored under seq=${seq} claims seq=${entry.seq} in run ${this.location}; quarantine the run and verify it`, {
        seq,
        storedSeq: entry.seq,
      });
    }
    return entry;
  }

  /**
   * A copy of the index rows the commitment covers, for verify to name what later vanished. Kept
   * only when every kind's rows still match the commitment (else the commitment is not this
   * store's, and a ledger would vouch for rows it does not describe).
   */
  async #writeIndexLedger(integrity: RunIntegrity): Promise<void> {
    const kinds: Array<[string, Array<[string, number]>]> = [];
    for (const kind of Object.keys(integrity.indexKinds).sort()) {
      const rows = await this._readIndexRows(kind);
      if (computeIndexKindDigest(kind, rows).digest !== integrity.indexKinds[kind]!.digest) return;
      kinds.push([kind, rows]);
    }
    await this._writeIndexLedger(encodeIndexLedger(kinds));
  }

  /** The largest tsInit of the stored entries; a damaged row is skipped (verification reports it). */
  async #storedMaxTsInit(): Promise<bigint> {
    let largest = 0n;
    for (let lo = 1; lo <= this.#highWatermark; lo += MAX_TS_INIT_CHUNK) {
      const rows = await this._readRange(lo, Math.min(this.#highWatermark, lo + MAX_TS_INIT_CHUNK - 1));
      for (const [, record] of rows) {
        if (!(record instanceof Uint8Array)) continue;
        try {
          const { tsInit } = decodeEntry(record);
          if (tsInit > largest) largest = tsInit;
        } catch {
          // Skipped: see above.
        }
      }
    }
    return largest;
  }

  async #readAnchor(): Promise<SnapshotAnchor | undefined> {
    if (!this.capabilities.snapshotAnchors) return undefined;
    const record = await this._readAnchorRecord();
    if (record === undefined) return undefined;
    try {
      return decodeAnchor(record);
    } catch (error) {
      const detail = TapelogError.isInstance(error) ? error.detail : String(error);
      throw corruptedError(`${detail} (run ${this.location})`, { cause: error });
    }
  }
}

/** Encodes a batch and collects its index rows (first write wins inside the batch too). Pure. */
function prepareBatch(
  entries: readonly AppendEntry[],
  location: string,
): Omit<PreparedBatch, 'firstSeq' | 'lastSeq' | 'indexRows'> & { indexRows: IndexRow[] } {
  const records: Uint8Array[] = new Array(entries.length);
  const seen = new Set<string>();
  const indexRows: IndexRow[] = [];
  let maxTsInit = 0n;
  for (let i = 0; i < entries.length; i++) {
    const { entry, indexKeys } = entries[i]!;
    try {
      records[i] = encodeEntry(entry);
    } catch (error) {
      if (error instanceof TypeError || error instanceof RangeError) throw error;
      throw new TapelogError('ENCODE', `encode entry seq=${entry.seq} for run ${location}: ${(error as Error).message}`, { cause: error });
    }
    if (entry.tsInit > maxTsInit) maxTsInit = entry.tsInit;
    for (const index of indexKeys) {
      assertValidIndexKey(index);
      const name = `${index.kind}\u0000${index.key}`;
      if (seen.has(name)) continue;
      seen.add(name);
      indexRows.push({ kind: index.kind, key: index.key, seq: entry.seq });
    }
  }
  return { entries, records, indexRows, maxTsInit };
}

/** The records of `lo..hi` when the rows hold exactly those seqs in order, each readable; else undefined. */
function contiguousRecords(lo: number, hi: number, rows: readonly StoredRow[]): Uint8Array[] | undefined {
  if (rows.length < hi - lo + 1) return undefined;
  const records: Uint8Array[] = new Array(hi - lo + 1);
  for (let index = 0; index < records.length; index++) {
    const row = rows[index]!;
    const record = row[1];
    if (row[0] !== lo + index || !(record instanceof Uint8Array)) return undefined;
    records[index] = record;
  }
  return records;
}
