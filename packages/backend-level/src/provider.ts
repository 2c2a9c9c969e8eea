/**
 * The level provider: one storage location (`baseDir`) holding many runs, one LevelDB each.
 * It opens runs by the rules of the contract and lists an instance's runs from their
 * manifest copies, falling back to the LevelDB whenever a copy cannot settle the answer.
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  checkStoreFormat,
  corruptedError,
  crashedPredecessorError,
  type EventStoreProvider,
  encodeManifest,
  type FaultHooks,
  isSealed,
  isUnsupportedStoreFormat,
  normalizeForOpen,
  type RunManifest,
  runAlreadyOpenError,
  runNotFoundError,
  runNotSealedError,
  runSealedError,
  STORE_FORMAT_VERSION,
  type TamperHooks,
  type TapelogError,
} from '@tapelog/core';
import { CommitFaults, OpenRuns, syncDirectory } from '@tapelog/core/backend';
import { closeQuietly, openRunDatabase, type RunDatabase, readLastSeq, readManifestRow, readStoreFormat } from './database.js';
import { isLockedError, mapStorageError } from './error-mapping.js';
import { type IncompleteRun, isIncompleteRun, listIncompleteRuns, setIncompleteRunsAside } from './incomplete-runs.js';
import { encodeFormatValue, FORMAT_KEY, MANIFEST_KEY } from './keys.js';
import { readManifestCopy, writeManifestCopy } from './manifest-copy.js';
import { instancePath, runIdOfDirectoryName, runPath } from './paths.js';
import { recoverProgress } from './progress.js';
import { withRecordChecksum } from './row-checksum.js';
import { capabilities, LevelEventStore, type WarningSink } from './store.js';
import { createTamperHooks } from './tamper.js';
import { markQuarantinedByCopy } from './unreadable-runs.js';
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

export class LevelProvider implements EventStoreProvider {
  readonly name = 'level';
  readonly capabilities = capabilities;
  readonly tamper: TamperHooks;
  readonly faults: FaultHooks;
  readonly baseDir: string;
  readonly #commitFaults = new CommitFaults();
  readonly #warn: WarningSink;

  constructor(options: LevelProviderOptions, hooks: LevelProviderHooks = {}) {
    if (typeof options !== 'object' || options === null || typeof options.baseDir !== 'string' || options.baseDir.length === 0) {
      throw new TypeError('createProvider expects { baseDir: string } with a non-empty baseDir');
    }
    this.baseDir = resolve(options.baseDir);
    this.#warn = hooks.warn ?? ((message, error) => console.warn(`[tapelog/backend-level] ${message}`, error ?? ''));
    this.tamper = createTamperHooks(this.baseDir);
    this.faults = this.#commitFaults.hooks((instanceId, runId) => runPath(this.baseDir, instanceId, runId));
  }

  /** Where a run lives: `<baseDir>/<instanceId>/<runId>.level`. */
  runPath(instanceId: string, runId: string): string {
    return runPath(this.baseDir, instanceId, runId);
  }

  async openRun(manifest: RunManifest): Promise<LevelEventStore> {
    const location = runPath(this.baseDir, manifest.instanceId, manifest.runId);
    // A sealed run held open (by a reader) is still a sealed run: say so, as for one on disk.
    const held = openRuns.at(location);
    if (held !== undefined && isSealed(held.status)) throw runSealedError(location, held.status);
    this.#assertNotHeld(location);
    const instanceDirectory = dirname(location);
    try {
      await mkdir(instanceDirectory, { recursive: true });
    } catch (error) {
      throw mapStorageError(error, 'create dir', instanceDirectory);
    }
    if (await exists(location)) {
      await this.#withDatabase(location, async (db) => {
        checkStoreFormat(await readStoreFormat(db, location), location);
        const stored = await readManifestRow(db, location);
        if (stored === undefined) throw corruptedError(`missing manifest in existing run file at ${location}`);
        if (isSealed(stored.status)) throw runSealedError(location, stored.status);
        throw crashedPredecessorError(location);
      });
    }
    const normalized = normalizeForOpen(manifest);
    const db = await openRunDatabase(location, true);
    try {
      await db.batch(
        [
          { type: 'put', key: FORMAT_KEY, value: encodeFormatValue(STORE_FORMAT_VERSION) },
          { type: 'put', key: MANIFEST_KEY, value: withRecordChecksum(encodeManifest(normalized)) },
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
      await writeManifestCopy(location, normalized);
    } catch (error) {
      this.#warn(
        `run ${location} is open, but its manifest copy could not be written (listings will read the LevelDB instead): ${(error as Error).message}`,
        error,
      );
    }
    return this.#install({ db, location, manifest: normalized, highWatermark: 0, maxTsInit: 0n, readOnly: false });
  }

  async openForRecovery(instanceId: string, runId: string): Promise<LevelEventStore> {
    const location = runPath(this.baseDir, instanceId, runId);
    this.#assertNotHeld(location);
    if (!(await exists(location))) throw runNotFoundError(location);
    return this.#openExisting(location, false);
  }

  /**
   * What LevelDB dropped from the run's write-ahead log when a recovery open replayed it (its
   * info-log lines), or undefined. A run with dropped records has lost acknowledged rows, so the
   * recovery sweep seals it Quarantined, never clean.
   */
  async recoveryDamage(instanceId: string, runId: string): Promise<string | undefined> {
    const location = runPath(this.baseDir, instanceId, runId);
    try {
      return await readWalDamage(location);
    } catch (error) {
      throw mapStorageError(error, 'read dropped log records of', location);
    }
  }

  async openSealed(instanceId: string, runId: string): Promise<LevelEventStore> {
    const location = runPath(this.baseDir, instanceId, runId);
    this.#assertNotHeld(location);
    if (!(await exists(location))) throw runNotFoundError(location);
    return this.#openExisting(location, true);
  }

  async listRuns(instanceId: string): Promise<RunManifest[]> {
    const directory = instancePath(this.baseDir, instanceId);
    let names: string[];
    try {
      const dirents = await readdir(directory, { withFileTypes: true });
      names = dirents.filter((dirent) => dirent.isDirectory() && runIdOfDirectoryName(dirent.name) !== undefined).map((dirent) => dirent.name);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return [];
      throw mapStorageError(error, 'read_dir', directory);
    }
    // Directory order differs between file systems; sorting first makes ties deterministic.
    names.sort();
    const results: Array<RunManifest | undefined> = new Array(names.length);
    let next = 0;
    let fatal: unknown;
    const worker = async (): Promise<void> => {
      while (fatal === undefined && next < names.length) {
        const index = next++;
        const location = runPath(this.baseDir, instanceId, runIdOfDirectoryName(names[index]!)!);
        try {
          results[index] = await this.#listedManifest(location);
        } catch (error) {
          if (isUnsupportedStoreFormat(error)) {
            fatal ??= error;
            return;
          }
          // Never fully created: `listIncompleteRuns` reports it, the recovery sweep sets it aside.
          if (await isIncompleteRun(location)) continue;
          this.#warn(`listRuns skipped run ${location}: ${(error as Error).message}`, error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(LISTING_CONCURRENCY, names.length) }, worker));
    // An unsupported store format needs an operator, so it fails the listing as a whole.
    if (fatal !== undefined) throw fatal;
    const manifests = results.filter((manifest): manifest is RunManifest => manifest !== undefined);
    return manifests.sort((a, b) => (a.startTsInit < b.startTsInit ? -1 : a.startTsInit > b.startTsInit ? 1 : 0));
  }

  /** Every run of this instance never fully created, whether already set aside or not yet. */
  async listIncompleteRuns(instanceId: string): Promise<IncompleteRun[]> {
    return listIncompleteRuns(instancePath(this.baseDir, instanceId));
  }

  /** Renames every run directory of this instance that was never fully created aside (`.incomplete`). */
  async setAsideIncompleteRuns(instanceId: string): Promise<IncompleteRun[]> {
    const directory = instancePath(this.baseDir, instanceId);
    try {
      return await setIncompleteRunsAside(directory);
    } catch (error) {
      throw mapStorageError(error, 'set aside incomplete runs in', directory);
    }
  }

  /** Marks an unreadable `Running` run Quarantined through its manifest copy, without opening it. */
  async markUnreadableRunQuarantined(listed: RunManifest): Promise<RunManifest> {
    const location = runPath(this.baseDir, listed.instanceId, listed.runId);
    try {
      return await markQuarantinedByCopy(location, listed);
    } catch (error) {
      throw mapStorageError(error, 'mark quarantined', location);
    }
  }

  /**
   * One run's manifest for a listing. A copy saying sealed is final (a seal is never undone). A
   * copy saying Running may be stale (the process died between the seal commit and the copy
   * write), so the LevelDB decides; if the run is open right now, the Running copy stands.
   */
  async #listedManifest(location: string): Promise<RunManifest> {
    const copy = await readManifestCopy(location);
    if (copy !== undefined && isSealed(copy.status)) return copy;
    const held = openRuns.at(location);
    if (held !== undefined && copy !== undefined) return copy;
    let stored: RunManifest;
    try {
      stored = await this.#withDatabase(location, async (db) => {
        const marker = await readStoreFormat(db, location);
        const manifest = await readManifestRow(db, location);
        // No marker and no manifest: the process died between creating the LevelDB and its
        // first commit. That run is merely empty, not of an unsupported format.
        if (marker === undefined && manifest === undefined) throw corruptedError(`missing manifest in run file at ${location}`);
        checkStoreFormat(marker, location);
        if (manifest === undefined) throw corruptedError(`missing manifest in run file at ${location}`);
        return manifest;
      });
    } catch (error) {
      if (copy !== undefined && isLockedError(error)) return copy;
      throw error;
    }
    if (copy === undefined || isSealed(stored.status)) {
      // Refresh the copy so the next listing is fast; a failure only costs speed.
      await writeManifestCopy(location, stored).catch(() => undefined);
    }
    return stored;
  }

  async #openExisting(location: string, readOnly: boolean): Promise<LevelEventStore> {
    const db = await openRunDatabase(location, false);
    try {
      checkStoreFormat(await readStoreFormat(db, location), location);
      const stored = await readManifestRow(db, location);
      if (stored === undefined) throw corruptedError(`missing manifest in run file at ${location}`);
      if (readOnly && !isSealed(stored.status)) throw await notSealedError(location, stored.status);
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
    const store: LevelEventStore = new LevelEventStore({
      ...state,
      warn: this.#warn,
      faults: this.#commitFaults,
      onClose: () => openRuns.unregister(state.location, store),
    });
    openRuns.register(state.location, store);
    return store;
  }

  #assertNotHeld(location: string): void {
    if (openRuns.at(location) !== undefined) {
      throw runAlreadyOpenError(location);
    }
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

/**
 * Why a run will not open read-only: not sealed, or marked Quarantined by the recovery sweep
 * without being opened (its reading killed a reader), which is damage, not a run to recover.
 */
async function notSealedError(location: string, status: string): Promise<TapelogError> {
  const copy = await readManifestCopy(location);
  if (copy?.status === 'Quarantined') {
    return corruptedError(
      `run ${location} was marked Quarantined without being opened: reading it brought a reader process down; its files are as the crash left them`,
    );
  }
  return runNotSealedError(location, status);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return false;
    throw mapStorageError(error, 'stat', path);
  }
}

/** Builds the level provider. `options` is plain data; `hooks` stays in this thread. */
export function createProvider(options: LevelProviderOptions, hooks: LevelProviderHooks = {}): LevelProvider {
  return new LevelProvider(options, hooks);
}
