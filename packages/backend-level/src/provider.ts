/**
 * The level provider: one storage location (`baseDir`) holding many runs, one LevelDB each.
 * It opens runs by the rules of the contract and lists an instance's runs from their
 * manifest copies, falling back to a private copy of the LevelDB whenever a copy cannot settle
 * the answer; a listing never writes to a run.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import {
  checkStoreFormat,
  corruptedError,
  encodeManifest,
  isSealed,
  type RunManifest,
  runSealedError,
  STORE_FORMAT_VERSION,
  type TamperHooks,
} from '@tapelog/core';
import { OpenRuns, RunDirectoryProvider, readManifestCopy, syncDirectory, type WarningSink, writeManifestCopy } from '@tapelog/core/backend';
import { closeQuietly, openRunDatabase, type RunDatabase, readLastSeq, readManifestRow, readStoreFormat } from './database.js';
import { mapStorageError } from './error-mapping.js';
import { type IncompleteRun, isIncompleteRun, listIncompleteRuns, setIncompleteRunsAside } from './incomplete-runs.js';
import { encodeFormatValue, FORMAT_KEY, MANIFEST_KEY } from './keys.js';
import { MARKERS_DIRECTORY_SUFFIX, RUN_DIRECTORY_SUFFIX } from './paths.js';
import { recoverProgress } from './progress.js';
import { withRecordChecksum } from './row-checksum.js';
import { copyRunFiles } from './run-copy.js';
import { capabilities, LevelEventStore } from './store.js';
import { createTamperHooks } from './tamper.js';
import { readWalDamage } from './wal-damage.js';

/** The runs this thread holds open (see OpenRuns). */
const openRuns = new OpenRuns<LevelEventStore>();

/** Plain data, so the writer can rebuild the provider inside its worker thread. */
export interface LevelProviderOptions {
  /** The directory holding `<instanceId>/<runId>.level/` run directories. Created on first use. */
  baseDir: string;
}

/** In-process extras that cannot cross a thread boundary; all optional. */
export interface LevelProviderHooks {
  /** Receives warnings such as a run skipped by `listRuns`. Defaults to `console.warn`. */
  warn?: WarningSink;
}

/** How many manifest copies `listRuns` reads at once. */
const LISTING_CONCURRENCY = 16;
/** How many times a listing copies a run's files that did not open (copied while a writer changed them). */
const LISTING_COPY_ATTEMPTS = 3;

export class LevelProvider extends RunDirectoryProvider<LevelEventStore> {
  readonly name = 'level';
  readonly capabilities = capabilities;
  override readonly tamper: TamperHooks;

  constructor(options: LevelProviderOptions, hooks: LevelProviderHooks = {}) {
    super(
      options,
      {
        directorySuffix: RUN_DIRECTORY_SUFFIX,
        notRunSuffixes: [MARKERS_DIRECTORY_SUFFIX],
        openRuns,
        mapStorageError,
        warningPrefix: '[tapelog/backend-level]',
        listingConcurrency: LISTING_CONCURRENCY,
      },
      hooks.warn,
    );
    this.tamper = createTamperHooks(this.baseDir);
  }

  /**
   * What LevelDB dropped from the run's write-ahead log when a recovery open replayed it (its
   * info-log lines), or undefined. A run with dropped records has lost acknowledged rows, so the
   * recovery sweep seals it Quarantined, never clean.
   */
  async recoveryDamage(instanceId: string, runId: string): Promise<string | undefined> {
    const location = this.runPath(instanceId, runId);
    try {
      return await readWalDamage(location);
    } catch (error) {
      throw mapStorageError(error, 'read dropped log records of', location);
    }
  }

  /** Every run of this instance never fully created, whether already set aside or not yet. */
  async listIncompleteRuns(instanceId: string): Promise<IncompleteRun[]> {
    return listIncompleteRuns(this.instancePath(instanceId));
  }

  /** Renames every run directory of this instance that was never fully created aside (`.incomplete`). */
  async setAsideIncompleteRuns(instanceId: string): Promise<IncompleteRun[]> {
    const directory = this.instancePath(instanceId);
    try {
      return await setIncompleteRunsAside(directory);
    } catch (error) {
      throw mapStorageError(error, 'set aside incomplete runs in', directory);
    }
  }

  protected async _existingRunManifest(location: string): Promise<RunManifest> {
    return this.#withDatabase(location, async (db) => {
      checkStoreFormat(await readStoreFormat(db, location), location);
      const stored = await readManifestRow(db, location);
      if (stored === undefined) throw corruptedError(`missing manifest in existing run file at ${location}`);
      return stored;
    });
  }

  protected async _createRun(location: string, manifest: RunManifest): Promise<LevelEventStore> {
    const instanceDirectory = dirname(location);
    try {
      await mkdir(instanceDirectory, { recursive: true });
    } catch (error) {
      throw mapStorageError(error, 'create dir', instanceDirectory);
    }
    const db = await openRunDatabase(location, true);
    try {
      await db.batch(
        [
          { type: 'put', key: FORMAT_KEY, value: encodeFormatValue(STORE_FORMAT_VERSION) },
          { type: 'put', key: MANIFEST_KEY, value: withRecordChecksum(encodeManifest(manifest)) },
        ],
        { sync: true },
      );
      // LevelDB syncs its own files; the new run directory entry (and a new instance directory)
      // must be synced too, or power loss could forget the whole run.
      await syncDirectory(instanceDirectory);
      await syncDirectory(this.baseDir);
    } catch (error) {
      await closeQuietly(db);
      // Nothing was acknowledged: remove the half-made run so its id is not left unopenable.
      await rm(location, { recursive: true, force: true }).catch(() => undefined);
      throw mapStorageError(error, 'initialise run', location);
    }
    try {
      await writeManifestCopy(location, manifest);
    } catch (error) {
      this.warn(
        `run ${location} is open, but its manifest copy could not be written (listings will read the LevelDB instead): ${(error as Error).message}`,
        error,
      );
    }
    return this.#install({ db, location, manifest, highWatermark: 0, maxTsInit: 0n, readOnly: false });
  }

  protected _openForRecovery(location: string): Promise<LevelEventStore> {
    return this.#openExisting(location, false);
  }

  protected _openSealed(location: string): Promise<LevelEventStore> {
    return this.#openExisting(location, true);
  }

  /** Never fully created: `listIncompleteRuns` reports it, the recovery sweep sets it aside. */
  protected override _isSkippedQuietly(location: string): Promise<boolean> {
    return isIncompleteRun(location);
  }

  /**
   * One run's manifest for a listing, read without writing anything. A copy saying sealed is
   * final (a seal is never undone). A copy saying Running may be stale (the process died between
   * the seal commit and the copy write), so the LevelDB decides; if the run is open right now,
   * the Running copy stands. The LevelDB is read from a private copy of its files: opening the
   * run itself would replay a killed writer's log and so change the run a listing only looks at.
   */
  protected async _listedManifest(location: string): Promise<RunManifest> {
    const copy = await readManifestCopy(location);
    if (copy !== undefined && isSealed(copy.status)) return copy;
    if (this.heldAt(location) !== undefined && copy !== undefined) return copy;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#storedManifestOfCopy(location);
      } catch (error) {
        // A live writer elsewhere may change files while they are copied; a fresh copy settles it.
        if (attempt >= LISTING_COPY_ATTEMPTS) throw error;
      }
    }
  }

  /** The stored manifest of the run at `location`, read from a private copy of its files. */
  async #storedManifestOfCopy(location: string): Promise<RunManifest> {
    const copyBase = await mkdtemp(join(tmpdir(), 'tapelog-level-listing-'));
    try {
      const copyLocation = join(copyBase, basename(location));
      try {
        copyRunFiles(location, copyLocation);
      } catch (error) {
        throw mapStorageError(error, 'copy for listing the run', location);
      }
      const db = await openRunDatabase(copyLocation, false, location);
      try {
        const marker = await readStoreFormat(db, location);
        const manifest = await readManifestRow(db, location);
        // No marker and no manifest: the process died between creating the LevelDB and its
        // first commit. That run is merely empty, not of an unsupported format.
        if (marker === undefined && manifest === undefined) throw corruptedError(`missing manifest in run file at ${location}`);
        checkStoreFormat(marker, location);
        if (manifest === undefined) throw corruptedError(`missing manifest in run file at ${location}`);
        return manifest;
      } finally {
        await closeQuietly(db);
      }
    } finally {
      await rm(copyBase, { recursive: true, force: true });
    }
  }

  async #openExisting(location: string, readOnly: boolean): Promise<LevelEventStore> {
    const db = await openRunDatabase(location, false);
    try {
      checkStoreFormat(await readStoreFormat(db, location), location);
      const stored = await readManifestRow(db, location);
      if (stored === undefined) throw corruptedError(`missing manifest in run file at ${location}`);
      if (readOnly && !isSealed(stored.status)) throw await this.notSealedError(location, stored.status);
      if (!readOnly && isSealed(stored.status)) throw runSealedError(location, stored.status);
      // A sealed run is never sealed again, so it needs only its hwm, not the maximum tsInit.
      const progress = readOnly ? { highWatermark: await readLastSeq(db, location), maxTsInit: 0n } : await recoverProgress(db, location);
      return this.#install({ db, location, manifest: stored, ...progress, readOnly });
    } catch (error) {
      await closeQuietly(db);
      throw error;
    }
  }

  #install(state: { db: RunDatabase; location: string; manifest: RunManifest; highWatermark: number; maxTsInit: bigint; readOnly: boolean }): LevelEventStore {
    return this.install(state.location, (onClose) => new LevelEventStore({ ...state, warn: this.warn, faults: this.commitFaults, onClose }));
  }

  /** Opens the run's LevelDB for one short job and always closes it. */
  async #withDatabase<T>(location: string, job: (db: RunDatabase) => Promise<T>): Promise<T> {
    const db = await openRunDatabase(location, false);
    try {
      return await job(db);
    } finally {
      await closeQuietly(db);
    }
  }
}

/** Builds the level provider. `options` is plain data; `hooks` stays in this thread. */
export function createProvider(options: LevelProviderOptions, hooks: LevelProviderHooks = {}): LevelProvider {
  return new LevelProvider(options, hooks);
}
