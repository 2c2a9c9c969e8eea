/**
 * The verifier: walks every slot of a run (1..durable hwm), cross-checks the indices, the
 * snapshot anchor, the manifest and the chain head, and reports every finding instead of
 * stopping at the first. It never seals, repairs or quarantines anything.
 */
import {
  bytesEqual,
  ChainHasher,
  computeAnchorDigest,
  computeIndexKindDigest,
  type EntryHashRange,
  type EventStore,
  type EventStoreEntry,
  type EventStoreProvider,
  INDEX_KIND_CLIENT_ORDER_ID,
  INDEX_KIND_VENUE_ORDER_ID,
  isSealed,
  type RunManifest,
  runNotSealedError,
  TapelogError,
} from '@tapelog/core';
import { readEntryHashes } from './entry-hash-ranges.js';
import type { VerifyFinding, VerifyReport } from './verify-findings.js';

/** Entries per backend read on the fast path; a failing chunk is re-read slot by slot. */
export const VERIFY_SCAN_CHUNK_SIZE = 1024;

/** Every index row of a kind up to this many is checked by a point lookup; above it, a sample of this many. */
export const VERIFY_LOOKUP_ROWS = 4096;

/**
 * Chunk reads kept in flight ahead of the one being walked: with `scanEntryHashes` the records
 * of these chunks are being checked on other cores while this thread chains the current one.
 */
const READ_AHEAD_CHUNKS = 3;
/** Rows of one kind named one by one when they differ from those sealed; the rest are counted. */
const NAMED_ROWS_LIMIT = 100;
/** Index keys per `lookupMany` call. */
const LOOKUP_BATCH = 256;
/** One chunk in this many has its last entry read again by seq (the first and last chunks always). */
const POINT_READ_EVERY_CHUNKS = 8;

/** Index kinds always checked, besides every kind the run holds or committed to. */
export const DEFAULT_VERIFY_INDEX_KINDS: readonly string[] = [INDEX_KIND_CLIENT_ORDER_ID, INDEX_KIND_VENUE_ORDER_ID];

export interface VerifierOptions {
  chunkSize?: number;
  /** Index kinds whose targets are checked, in this order. */
  indexKinds?: readonly string[];
  /** Called after each chunk with the slots walked so far; for progress bars. */
  onProgress?: (slotsWalked: number, highWatermark: number) => void;
  /** Index rows per kind looked up one by one; above it an evenly spread sample (default VERIFY_LOOKUP_ROWS). */
  lookupRows?: number;
}

interface GapRange {
  from: number;
  to: number;
}

/** Mutable state of one entry walk. */
class EntryWalk {
  readonly findings: VerifyFinding[] = [];
  readonly corrupted = new Set<number>();
  readonly gaps: GapRange[] = [];
  readonly chain = new ChainHasher();
  chainIntact = true;
  scanned = 0;
  minTsInit: bigint | undefined;
  maxTsInit: bigint | undefined;
  #pendingGapStart: number | undefined;

  #closeGap(nextPresentSeq: number): void {
    if (this.#pendingGapStart === undefined) return;
    const gap = { from: this.#pendingGapStart, to: nextPresentSeq - 1 };
    this.gaps.push(gap);
    this.findings.push({ kind: 'Gap', ...gap });
    this.#pendingGapStart = undefined;
  }

  missing(seq: number): void {
    this.chainIntact = false;
    this.#pendingGapStart ??= seq;
  }

  entry(seq: number, entry: EventStoreEntry): void {
    this.#closeGap(seq);
    this.scanned++;
    if (entry.seq !== seq) {
      this.findings.push({ kind: 'SeqMismatch', tableKey: seq, embeddedSeq: entry.seq });
      this.corrupted.add(seq);
      this.chainIntact = false;
      return;
    }
    const tsInit = entry.tsInit;
    if (this.minTsInit === undefined || tsInit < this.minTsInit) this.minTsInit = tsInit;
    if (this.maxTsInit === undefined || tsInit > this.maxTsInit) this.maxTsInit = tsInit;
    if (this.chainIntact) this.chain.update(entry.entryHash);
  }

  /** A chunk read clean: its stored hashes and timestamps, for seqs `range.from..range.to`. */
  hashes(range: EntryHashRange): void {
    this.#closeGap(range.from);
    const count = range.to - range.from + 1;
    this.scanned += count;
    if (count === 0) return;
    const { minTsInit, maxTsInit } = range;
    if (minTsInit !== undefined && (this.minTsInit === undefined || minTsInit < this.minTsInit)) this.minTsInit = minTsInit;
    if (maxTsInit !== undefined && (this.maxTsInit === undefined || maxTsInit > this.maxTsInit)) this.maxTsInit = maxTsInit;
    if (!this.chainIntact) return;
    for (let offset = 0; offset < count * 32; offset += 32) this.chain.updateAt(range.hashes, offset);
  }

  damaged(seq: number, finding: VerifyFinding): void {
    this.#closeGap(seq);
    this.scanned++;
    this.findings.push(finding);
    this.corrupted.add(seq);
    this.chainIntact = false;
  }

  finish(highWatermark: number): void {
    this.#closeGap(highWatermark + 1);
  }

  /** True when `seq` was read and found clean. */
  isClean(seq: number, highWatermark: number): boolean {
    if (seq < 1 || seq > highWatermark || this.corrupted.has(seq)) return false;
    let low = 0;
    let high = this.gaps.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const gap = this.gaps[middle]!;
      if (seq < gap.from) high = middle - 1;
      else if (seq > gap.to) low = middle + 1;
      else return false;
    }
    return true;
  }
}

/** Read failures that localise damage to slots; anything else means no report can be produced. */
function isSlotDamage(error: unknown): boolean {
  return TapelogError.hasCode(error, 'GAP') || TapelogError.hasCode(error, 'HASH_MISMATCH') || TapelogError.hasCode(error, 'CORRUPTED');
}

export class Verifier {
  readonly store: EventStore;
  readonly #options: VerifierOptions;

  constructor(store: EventStore, options: VerifierOptions = {}) {
    this.store = store;
    this.#options = options;
  }

  /**
   * Opens a sealed run read-only through `provider`. Only sealed runs are accepted: a `Running`
   * run could race a live writer (recover it first). Open failures are thrown unchanged.
   */
  static async openSealed(provider: EventStoreProvider, instanceId: string, runId: string, options: VerifierOptions = {}): Promise<Verifier> {
    const store = await provider.openSealed(instanceId, runId);
    try {
      const manifest = await store.manifest();
      if (!isSealed(manifest.status)) {
        throw runNotSealedError(store.location, manifest.status, '; run the recovery sweep first');
      }
    } catch (error) {
      await store.close();
      throw error;
    }
    return new Verifier(store, options);
  }

  close(): Promise<void> {
    return this.store.close();
  }

  /**
   * Produces the report. Integrity problems become findings; an error is thrown only when no
   * report can be produced (the manifest or index cannot be read, a disk or backend failure).
   */
  async verify(): Promise<VerifyReport> {
    const manifest = await this.store.manifest();
    const highWatermark = await this.store.highWatermark();
    const walk = await this.#walkEntries(highWatermark);
    const findings = walk.findings;
    // After the walk, not beside it: reading every index row while entries are decoded doubled
    // the collector's work and gained nothing on two cores.
    const indices = await this.#readIndices(manifest, findings);
    this.#checkIndexTargets(walk, highWatermark, indices, findings);
    await this.#checkAnchor(highWatermark, manifest, findings);
    checkManifest(manifest, highWatermark, walk, findings);
    const chainHead = walk.chainIntact ? walk.chain.headHex : undefined;
    if (chainHead !== undefined && manifest.chainHead !== undefined && manifest.chainHead !== chainHead) {
      findings.push({ kind: 'ChainHeadMismatch', manifestChainHead: manifest.chainHead, computedChainHead: chainHead });
    }
    const report: VerifyReport = {
      runId: manifest.runId,
      status: manifest.status,
      highWatermark,
      entriesScanned: walk.scanned,
      findings,
      unchecked: manifest.integrity === undefined && isSealed(manifest.status) ? ['index-rows', 'snapshot-anchor'] : [],
    };
    if (chainHead !== undefined) report.chainHead = chainHead;
    return report;
  }

  /**
   * Reads whole chunks while they are healthy (the fast path) and re-reads a failing chunk one
   * slot at a time, so one bad row never hides its neighbours. Up to READ_AHEAD_CHUNKS later
   * chunks are requested before the current one is walked, so storage reads overlap hashing.
   */
  async #walkEntries(highWatermark: number): Promise<EntryWalk> {
    const walk = new EntryWalk();
    const chunkSize = Math.max(1, Math.floor(this.#options.chunkSize ?? VERIFY_SCAN_CHUNK_SIZE));
    const ahead: Array<Promise<EntryHashRange | undefined>> = [];
    let nextToRequest = 1;
    const requestMore = (): void => {
      while (ahead.length < READ_AHEAD_CHUNKS && nextToRequest <= highWatermark) {
        const lo = nextToRequest;
        const hi = Math.min(lo + chunkSize - 1, highWatermark);
        ahead.push(this.#readChunk(lo, hi));
        nextToRequest = hi + 1;
      }
    };
    requestMore();
    const pointReads: Array<Promise<void>> = [];
    const pointReadErrors: unknown[] = [];
    for (let lo = 1, chunkIndex = 0; lo <= highWatermark; lo += chunkSize, chunkIndex++) {
      const hi = Math.min(lo + chunkSize - 1, highWatermark);
      const range = await ahead.shift()!;
      if (range !== undefined) {
        requestMore();
        walk.hashes(range);
        // Sampled and not awaited here: the walk goes on while the point read is served.
        if (chunkIndex % POINT_READ_EVERY_CHUNKS === 0 || hi === highWatermark) {
          const lastHash = range.hashes.slice(range.hashes.length - 32);
          pointReads.push(this.#checkPointRead(walk, hi, lastHash).catch((error: unknown) => void pointReadErrors.push(error)));
        }
      } else {
        // Let the reads already requested settle first: the slot walk must not race them.
        await Promise.allSettled(ahead);
        for (let seq = lo; seq <= hi; seq++) await this.#walkSlot(walk, seq);
        requestMore();
      }
      this.#options.onProgress?.(hi, highWatermark);
    }
    await Promise.all(pointReads);
    if (pointReadErrors.length > 0) throw pointReadErrors[0];
    walk.finish(highWatermark);
    return walk;
  }

  /**
   * One chunk on the fast path: its checked hashes, or undefined when it must be walked slot by slot.
   * Errors that are not slot damage reject (no report can be produced).
   */
  async #readChunk(lo: number, hi: number): Promise<EntryHashRange | undefined> {
    try {
      const range = await readEntryHashes(this.store, lo, hi);
      return range.to === hi ? range : undefined;
    } catch (error) {
      if (!isSlotDamage(error)) throw error;
      return undefined;
    }
  }

  /**
   * A point read must agree with the scan: a backend may serve them through different paths (a
   * LevelDB point get and an iterator read different blocks). The last seq of one chunk in
   * POINT_READ_EVERY_CHUNKS, and of the first and last chunks, keeps the cost to about a percent.
   */
  async #checkPointRead(walk: EntryWalk, seq: number, scannedHash: Uint8Array): Promise<void> {
    let reason: string | undefined;
    try {
      const point = await this.store.scanSeq(seq);
      if (point === undefined) reason = 'the range scan returned it, a point read found nothing';
      else if (!bytesEqual(point.entryHash, scannedHash)) reason = 'the point read returned another entry than the range scan';
    } catch (error) {
      if (!isSlotDamage(error)) throw error;
      reason = `the range scan returned it, a point read failed: ${(error as TapelogError).detail}`;
    }
    if (reason !== undefined) {
      walk.findings.push({ kind: 'ReadMismatch', seq, reason });
      walk.chainIntact = false;
    }
  }

  async #walkSlot(walk: EntryWalk, seq: number): Promise<void> {
    let entry: EventStoreEntry | undefined;
    try {
      entry = await this.store.scanSeq(seq);
    } catch (error) {
      if (TapelogError.hasCode(error, 'GAP')) return walk.missing(seq);
      if (TapelogError.hasCode(error, 'HASH_MISMATCH')) return walk.damaged(seq, { kind: 'HashMismatch', seq: error.seq ?? seq });
      // A row that does not decode is damage of that slot; any other CORRUPTED error is not.
      if (TapelogError.hasCode(error, 'CORRUPTED') && error.seq === seq && error.storedSeq !== undefined) {
        return walk.damaged(seq, { kind: 'SeqMismatch', tableKey: seq, embeddedSeq: error.storedSeq });
      }
      if (TapelogError.hasCode(error, 'CORRUPTED') && error.seq === seq) {
        return walk.damaged(seq, { kind: 'UndecodableEntry', seq, reason: error.detail });
      }
      throw error;
    }
    if (entry === undefined) walk.missing(seq);
    else walk.entry(seq, entry);
  }

  /**
   * Every index kind the run holds, committed to or named by the options: each row must be found
   * by a point lookup, and the rows of each kind must match the digest the run committed to at
   * seal (so a row that vanished is found too). Gives the rows of each readable kind for the
   * drift check.
   */
  async #readIndices(manifest: RunManifest, findings: VerifyFinding[]): Promise<IndexRowsOfKind[]> {
    const committed = manifest.integrity?.indexKinds;
    const kinds = new Set<string>(this.#options.indexKinds ?? DEFAULT_VERIFY_INDEX_KINDS);
    try {
      for (const kind of await this.store.indexKinds()) kinds.add(kind);
    } catch (error) {
      if (!TapelogError.hasCode(error, 'CORRUPTED')) throw error;
      findings.push({ kind: 'IndexUnreadable', indexKind: '*', reason: `index kinds cannot be listed: ${error.detail}` });
    }
    if (committed !== undefined) for (const kind of Object.keys(committed)) kinds.add(kind);
    const readable: IndexRowsOfKind[] = [];
    for (const indexKind of kinds) {
      let pairs: Array<[string, number]>;
      try {
        pairs = await this.store.iterIndexKeys(indexKind);
      } catch (error) {
        // A damaged index row is a finding, not the end of the report: the entry findings stand.
        if (!TapelogError.hasCode(error, 'CORRUPTED')) throw error;
        findings.push({ kind: 'IndexUnreadable', indexKind, reason: error.detail });
        continue;
      }
      readable.push({ indexKind, pairs });
      await this.#checkLookups(indexKind, pairs, findings);
      if (committed === undefined) continue;
      const expected = committed[indexKind] ?? { rows: 0, digest: computeIndexKindDigest(indexKind, []).digest };
      const found = computeIndexKindDigest(indexKind, pairs);
      if (found.digest !== expected.digest) {
        const reason =
          found.rows === expected.rows
            ? `rows differ from those committed at seal (${found.rows} rows, digest ${found.digest}, committed ${expected.digest})`
            : `${found.rows} rows found, ${expected.rows} committed at seal (${found.rows < expected.rows ? 'rows vanished' : 'rows appeared'})`;
        findings.push({ kind: 'IndexMismatch', indexKind, reason });
        await this.#nameChangedRows(indexKind, pairs, expected.digest, findings);
      }
    }
    return readable;
  }

  /**
   * With a ledger of the rows as sealed that still matches the commitment, one finding per row
   * that vanished, changed or appeared (up to NAMED_ROWS_LIMIT), each naming its key. Without
   * one (a backend that keeps none, or a damaged ledger) the kind-level finding stands alone.
   */
  async #nameChangedRows(indexKind: string, pairs: ReadonlyArray<[string, number]>, committedDigest: string, findings: VerifyFinding[]): Promise<void> {
    let sealedRows: Array<[string, number]> | undefined;
    try {
      sealedRows = await this.store.sealedIndexRows?.(indexKind);
    } catch (error) {
      if (!TapelogError.hasCode(error, 'CORRUPTED')) throw error;
      return;
    }
    if (sealedRows === undefined || computeIndexKindDigest(indexKind, sealedRows).digest !== committedDigest) return;
    const listed = new Map(pairs);
    const named: VerifyFinding[] = [];
    for (const [key, sealedSeq] of sealedRows) {
      const seq = listed.get(key);
      listed.delete(key);
      if (seq === sealedSeq) continue;
      const reason = seq === undefined ? `sealed with seq ${sealedSeq}, the row is gone` : `sealed with seq ${sealedSeq}, the row now holds seq ${seq}`;
      named.push({ kind: 'IndexMismatch', indexKind, key, reason });
    }
    for (const [key, seq] of listed) named.push({ kind: 'IndexMismatch', indexKind, key, reason: `not among the rows sealed, holds seq ${seq}` });
    findings.push(...named.slice(0, NAMED_ROWS_LIMIT));
    if (named.length > NAMED_ROWS_LIMIT) {
      findings.push({ kind: 'IndexMismatch', indexKind, reason: `${named.length - NAMED_ROWS_LIMIT} more rows differ from those sealed` });
    }
  }

  /** After the walk: each index row's target must be an entry that was read clean. */
  #checkIndexTargets(walk: EntryWalk, highWatermark: number, kinds: readonly IndexRowsOfKind[], findings: VerifyFinding[]): void {
    for (const { indexKind, pairs } of kinds) {
      for (const [key, storedSeq] of pairs) {
        if (walk.isClean(storedSeq, highWatermark)) continue;
        const drift = walk.corrupted.has(storedSeq) ? 'TargetCorrupted' : 'DanglingTarget';
        findings.push({ kind: 'IndexDrift', indexKind, key, drift, storedSeq });
      }
    }
  }

  /**
   * A listed row must be found by a point lookup, with the same seq: every row of a kind holding
   * up to VERIFY_LOOKUP_ROWS rows, an evenly spread sample of that many above it (a lookup per
   * row would cost verify a large share of its throughput on big runs; the digest still covers
   * every row's content). Lookups go LOOKUP_BATCH keys per call where the store offers
   * `lookupMany`; a batch that fails is looked up again key by key, so the finding names the key.
   */
  async #checkLookups(indexKind: string, allPairs: ReadonlyArray<[string, number]>, findings: VerifyFinding[]): Promise<void> {
    const pairs = lookupSample(allPairs, this.#options.lookupRows ?? VERIFY_LOOKUP_ROWS);
    for (let from = 0; from < pairs.length; from += LOOKUP_BATCH) {
      const batch = pairs.slice(from, from + LOOKUP_BATCH);
      const answers = await this.#lookupBatch(
        indexKind,
        batch.map(([key]) => key),
      );
      for (let index = 0; index < batch.length; index++) {
        const [key, listedSeq] = batch[index]!;
        const answer = answers[index];
        if (answer === listedSeq) continue;
        const reason =
          answer === undefined
            ? `listed with seq ${listedSeq}, but a lookup finds nothing`
            : typeof answer === 'number'
              ? `listed with seq ${listedSeq}, but a lookup answers seq ${answer}`
              : `listed with seq ${listedSeq}, but a lookup fails: ${answer.detail}`;
        findings.push({ kind: 'IndexMismatch', indexKind, key, reason });
      }
    }
  }

  /** Each key's answer, or the CORRUPTED error of its own lookup. */
  async #lookupBatch(indexKind: string, keys: readonly string[]): Promise<Array<number | undefined | TapelogError>> {
    if (this.store.lookupMany !== undefined) {
      try {
        return await this.store.lookupMany(indexKind, keys);
      } catch (error) {
        if (!TapelogError.hasCode(error, 'CORRUPTED')) throw error;
      }
    }
    return Promise.all(
      keys.map((key) =>
        this.store.lookup(indexKind, key).catch((error: unknown) => {
          if (!TapelogError.hasCode(error, 'CORRUPTED')) throw error;
          return error;
        }),
      ),
    );
  }

  /** An unreadable anchor is a finding: a restore from this run would fail reading it. */
  async #checkAnchor(highWatermark: number, manifest: RunManifest, findings: VerifyFinding[]): Promise<void> {
    try {
      const anchor = await this.store.latestSnapshotAnchor();
      const committed = manifest.integrity?.anchor;
      if (committed !== undefined && computeAnchorDigest(anchor) !== committed) {
        const reason =
          committed === null
            ? 'the run holds a snapshot anchor, but none was committed at seal'
            : anchor === undefined
              ? 'the snapshot anchor committed at seal is gone'
              : 'the snapshot anchor differs from the one committed at seal';
        findings.push({ kind: 'AnchorMismatch', reason });
      }
      if (anchor !== undefined && anchor.highWatermark > highWatermark) {
        findings.push({
          kind: 'SnapshotAnchorInvalid',
          reason: `snapshot anchor high_watermark ${anchor.highWatermark} exceeds durable high_watermark ${highWatermark}`,
        });
      }
    } catch (error) {
      if (!TapelogError.hasCode(error, 'CORRUPTED')) throw error;
      findings.push({ kind: 'SnapshotAnchorInvalid', reason: `snapshot anchor unreadable: ${error.detail}` });
    }
  }
}

/** The rows of one index kind, as listed. */
interface IndexRowsOfKind {
  indexKind: string;
  pairs: ReadonlyArray<[string, number]>;
}

/** All rows when there are at most `limit`, else `limit` rows spread evenly, first and last included. */
function lookupSample<T>(rows: readonly T[], limit: number): readonly T[] {
  if (rows.length <= limit) return rows;
  const step = (rows.length - 1) / (limit - 1);
  return Array.from({ length: limit }, (_, index) => rows[Math.round(index * step)]!);
}

function checkManifest(manifest: RunManifest, highWatermark: number, walk: EntryWalk, findings: VerifyFinding[]): void {
  if (manifest.highWatermark !== highWatermark) {
    findings.push({
      kind: 'ManifestMismatch',
      field: 'HighWatermark',
      reason: `manifest high_watermark ${manifest.highWatermark} disagrees with durable high_watermark ${highWatermark}`,
    });
  }
  if (walk.minTsInit !== undefined && manifest.startTsInit > walk.minTsInit) {
    findings.push({
      kind: 'ManifestMismatch',
      field: 'StartTsInit',
      reason: `manifest start_ts_init ${manifest.startTsInit} sits above earliest entry ts_init ${walk.minTsInit}`,
    });
  }
  if (!isSealed(manifest.status)) return;
  const stored = manifest.endTsInit;
  const observed = walk.maxTsInit;
  let reason: string | undefined;
  if (stored !== undefined && observed !== undefined && stored !== observed) {
    reason = `manifest end_ts_init ${stored} disagrees with last observed ts_init ${observed}`;
  } else if (stored === undefined && observed !== undefined) {
    reason = `sealed manifest is missing end_ts_init while entries up to ts_init ${observed} exist`;
  } else if (stored !== undefined && observed === undefined) {
    reason = `sealed manifest carries end_ts_init ${stored} despite empty entry table`;
  }
  if (reason !== undefined) findings.push({ kind: 'ManifestMismatch', field: 'EndTsInit', reason });
}
