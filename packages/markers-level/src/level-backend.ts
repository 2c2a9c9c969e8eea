/**
 * The LevelDB marker backend: one LevelDB per run at `<baseDir>/<instanceId>/<runId>.markers.level/`,
 * beside the run's entry store. Every write is one atomic `sync: true` batch that carries the
 * rows and the updated manifest, so counts on disk are right even while the store is unsealed.
 * Reopening an unsealed store marks it `CrashedRecovered` (sealed) instead of failing: marker
 * files never block a trader's boot.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { mapStorageError } from '@tapelog/backend-level/errors';
import {
  checkStoreFormat,
  closedError,
  corruptedError,
  decodeRecord,
  encodeRecord,
  invalidArgumentError,
  type SealedRunStatus,
  TapelogError,
} from '@tapelog/core';
import {
  cloneMarkerManifest,
  type DataCursorSnapshot,
  type HiFiMarker,
  isMarkerManifestSealed,
  type MarkerGap,
  type MarkerManifest,
  type StoredMarkerRecord,
  type StreamDictEntry,
} from '@tapelog/markers';
import {
  COUNT_FIELD,
  decodeStoredDict,
  decodeStoredGap,
  decodeStoredHiFi,
  decodeStoredSnapshot,
  encodeStoredDict,
  encodeStoredGap,
  encodeStoredHiFi,
  encodeStoredSnapshot,
  type MarkerBackend,
  type MarkerWrite,
  SEAL_RUNNING_MESSAGE,
  SingleRowWrites,
} from '@tapelog/markers/store';
import { ClassicLevel } from 'classic-level';
import { decodeManifestRow, encodeManifestRow } from './manifest-row.js';

const MANIFEST_KEY = 'manifest';
const STORE_FORMAT_KEY = 'store_format';
/** The marker sidecar's own layout version (independent of the run store format). */
const MARKER_STORE_FORMAT_VERSION = 1;
// Fixed-width hex keeps LevelDB's byte order equal to numeric order.
const PREFIX = { Snapshot: 'snapshot:', HiFi: 'hifi:', Gap: 'gap:', Dict: 'dict:' } as const;
const WRITE = { sync: true } as const;

function seqKey(prefix: string, value: number): string {
  return prefix + value.toString(16).padStart(16, '0');
}

function slotKey(slot: number): string {
  return PREFIX.Dict + slot.toString(16).padStart(8, '0');
}

function keyOf(write: MarkerWrite): string {
  switch (write.kind) {
    case 'Snapshot':
      return seqKey(PREFIX.Snapshot, write.record.markerSeq);
    case 'HiFi':
      return seqKey(PREFIX.HiFi, write.record.markerSeq);
    case 'Gap':
      return seqKey(PREFIX.Gap, write.record.fromMarkerSeq);
    case 'Dict':
      return slotKey(write.record.slot);
  }
}

function storedValueOf(write: MarkerWrite): Uint8Array {
  switch (write.kind) {
    case 'Snapshot':
      return encodeStoredSnapshot(write);
    case 'HiFi':
      return encodeStoredHiFi(write);
    case 'Gap':
      return encodeStoredGap(write);
    case 'Dict':
      return encodeStoredDict(write);
  }
}

type Database = ClassicLevel<string, Uint8Array>;

/** Maps a storage failure to a tapelog error naming the store, as the LevelDB entry store does. */
function storageError(action: string, path: string, error: unknown): TapelogError {
  return mapStorageError(error, action, `marker store at ${path}`);
}

async function openDatabase(path: string, createIfMissing: boolean): Promise<Database> {
  const db: Database = new ClassicLevel<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view', createIfMissing });
  try {
    await db.open();
  } catch (error) {
    throw storageError('open', path, error);
  }
  return db;
}

async function readStoreFormat(db: Database, path: string): Promise<void> {
  const bytes = await db.get(STORE_FORMAT_KEY);
  const marker = bytes === undefined ? undefined : decodeRecord(bytes, `decode store format of marker store at ${path}`);
  if (marker !== undefined && typeof marker !== 'number') throw corruptedError(`marker store at ${path}: store format marker is not a number`);
  checkStoreFormat(marker, path, MARKER_STORE_FORMAT_VERSION);
}

async function readManifest(db: Database, path: string): Promise<MarkerManifest> {
  const bytes = await db.get(MANIFEST_KEY);
  if (bytes === undefined) throw corruptedError(`missing marker manifest in marker store at ${path}`);
  return decodeManifestRow(bytes, path);
}

export class LevelMarkerBackend extends SingleRowWrites implements MarkerBackend {
  readonly location: string;
  readonly readOnly: boolean;
  #db: Database | undefined;
  #manifest: MarkerManifest;
  readonly #dictSlots: Set<number>;

  private constructor(path: string, db: Database, manifest: MarkerManifest, dictSlots: Set<number>, readOnly: boolean) {
    super();
    this.location = path;
    this.#db = db;
    this.#manifest = manifest;
    this.#dictSlots = dictSlots;
    this.readOnly = readOnly;
  }

  /**
   * Opens the marker store of a run for writing. A fresh store starts `Running` with zero counts.
   * An existing one keeps its on-disk manifest; if it is still `Running` its writer died, so it
   * becomes `CrashedRecovered`, which is sealed: every later write is CLOSED.
   */
  static async open(path: string, manifest: MarkerManifest): Promise<LevelMarkerBackend> {
    try {
      await mkdir(dirname(path), { recursive: true });
    } catch (error) {
      throw storageError('create the directory of', path, error);
    }
    const existed = existsSync(join(path, 'CURRENT'));
    const db = await openDatabase(path, true);
    try {
      if (!existed) {
        const fresh: MarkerManifest = { ...cloneMarkerManifest(manifest), status: 'Running', snapshotCount: 0, hifiCount: 0, gapCount: 0, dictCount: 0 };
        await db.batch(
          [
            { type: 'put', key: STORE_FORMAT_KEY, value: encodeRecord(MARKER_STORE_FORMAT_VERSION) },
            { type: 'put', key: MANIFEST_KEY, value: encodeManifestRow(fresh) },
          ],
          WRITE,
        );
        return new LevelMarkerBackend(path, db, fresh, new Set(), false);
      }
      await readStoreFormat(db, path);
      const onDisk = await readManifest(db, path);
      if (onDisk.runId !== manifest.runId) {
        throw new TapelogError('RUN_MISMATCH', `marker store at ${path} belongs to run ${onDisk.runId}, not ${manifest.runId}`);
      }
      if (onDisk.status === 'Running') {
        onDisk.status = 'CrashedRecovered';
        await db.put(MANIFEST_KEY, encodeManifestRow(onDisk), WRITE);
      }
      return new LevelMarkerBackend(path, db, onDisk, await LevelMarkerBackend.#slots(db), false);
    } catch (error) {
      await db.close().catch(() => undefined);
      throw storageError('open', path, error);
    }
  }

  /**
   * Opens an existing marker store for reading only (verification): any status is accepted,
   * nothing is recovered or sealed, and every write is CLOSED.
   */
  static async openReadOnly(path: string): Promise<LevelMarkerBackend> {
    if (!existsSync(join(path, 'CURRENT'))) throw new TapelogError('RUN_NOT_FOUND', `no marker store at ${path}`);
    const db = await openDatabase(path, false);
    try {
      await readStoreFormat(db, path);
      const manifest = await readManifest(db, path);
      return new LevelMarkerBackend(path, db, manifest, await LevelMarkerBackend.#slots(db), true);
    } catch (error) {
      await db.close().catch(() => undefined);
      throw storageError('open', path, error);
    }
  }

  static async #slots(db: Database): Promise<Set<number>> {
    const slots = new Set<number>();
    for await (const key of db.keys({ gte: PREFIX.Dict, lt: `${PREFIX.Dict}\uffff` })) slots.add(parseInt(key.slice(PREFIX.Dict.length), 16));
    return slots;
  }

  #open(): Database {
    if (this.#db === undefined) throw closedError(`no marker run open: the marker store at ${this.location} is closed`);
    return this.#db;
  }

  #writable(): Database {
    const db = this.#open();
    if (this.readOnly) throw closedError(`marker store at ${this.location} is open read-only`);
    if (isMarkerManifestSealed(this.#manifest)) {
      throw closedError(`marker run ${this.#manifest.runId} at ${this.location} is sealed (${this.#manifest.status}); it accepts no more markers`);
    }
    return db;
  }

  async write(writes: readonly MarkerWrite[]): Promise<void> {
    const db = this.#writable();
    const manifest = cloneMarkerManifest(this.#manifest);
    const newSlots: number[] = [];
    const operations: Array<{ type: 'put'; key: string; value: Uint8Array }> = [];
    try {
      for (const write of writes) {
        if (write.kind === 'Dict') {
          if (this.#dictSlots.has(write.record.slot) || newSlots.includes(write.record.slot)) continue;
          newSlots.push(write.record.slot);
        }
        // A duplicate key overwrites the row but still counts, so the verifier sees a count mismatch.
        operations.push({ type: 'put', key: keyOf(write), value: storedValueOf(write) });
        manifest[COUNT_FIELD[write.kind]]++;
      }
    } catch (error) {
      throw new TapelogError('ENCODE', `encode markers for marker store at ${this.location}: ${(error as Error).message}`, { cause: error });
    }
    operations.push({ type: 'put', key: MANIFEST_KEY, value: encodeManifestRow(manifest) });
    try {
      await db.batch(operations, WRITE);
    } catch (error) {
      throw storageError('write to', this.location, error);
    }
    this.#manifest = manifest;
    for (const slot of newSlots) this.#dictSlots.add(slot);
  }

  async #scan<T>(prefix: string, decode: (bytes: Uint8Array) => T): Promise<T[]> {
    const db = this.#open();
    const rows: T[] = [];
    try {
      for await (const value of db.values({ gte: prefix, lt: `${prefix}\uffff` })) rows.push(decode(value));
    } catch (error) {
      if (TapelogError.hasCode(error, 'CORRUPTED')) throw corruptedError(`marker store at ${this.location}: ${error.detail}`, { cause: error });
      throw storageError('scan', this.location, error);
    }
    return rows;
  }

  scanSnapshots(): Promise<StoredMarkerRecord<DataCursorSnapshot>[]> {
    return this.#scan(PREFIX.Snapshot, decodeStoredSnapshot);
  }

  scanHiFi(): Promise<StoredMarkerRecord<HiFiMarker>[]> {
    return this.#scan(PREFIX.HiFi, decodeStoredHiFi);
  }

  scanGaps(): Promise<StoredMarkerRecord<MarkerGap>[]> {
    return this.#scan(PREFIX.Gap, decodeStoredGap);
  }

  scanDict(): Promise<StoredMarkerRecord<StreamDictEntry>[]> {
    return this.#scan(PREFIX.Dict, decodeStoredDict);
  }

  /** Seals and compacts, so a sealed store is an artifact with no pending write-ahead log. */
  async seal(status: SealedRunStatus): Promise<MarkerManifest> {
    const db = this.#open();
    if ((status as string) === 'Running') throw invalidArgumentError(`${SEAL_RUNNING_MESSAGE} (marker store at ${this.location})`);
    this.#writable();
    const sealed: MarkerManifest = { ...cloneMarkerManifest(this.#manifest), status };
    try {
      await db.put(MANIFEST_KEY, encodeManifestRow(sealed), WRITE);
      this.#manifest = sealed;
      await db.compactRange('\u0000', '\uffff');
    } catch (error) {
      throw storageError('seal', this.location, error);
    }
    return cloneMarkerManifest(sealed);
  }

  async manifest(): Promise<MarkerManifest> {
    this.#open();
    return cloneMarkerManifest(this.#manifest);
  }

  async close(): Promise<void> {
    const db = this.#db;
    this.#db = undefined;
    if (db !== undefined) await db.close();
  }
}
