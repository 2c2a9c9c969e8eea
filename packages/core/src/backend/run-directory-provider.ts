/**
 * A base for providers that keep each run in a directory of its own under
 * `<baseDir>/<instanceId>/<runId><suffix>` (LevelDB, LMDB): it holds what such providers share
 * (paths, the registry of open runs, the open rules, listings from manifest copies, quarantine
 * by copy) and leaves the storage engine to `_`-prefixed primitives.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BackendCapabilities, EventStore, EventStoreProvider, FaultHooks, TamperHooks } from '../backend.js';
import {
  backendError,
  corruptedError,
  crashedPredecessorError,
  runAlreadyOpenError,
  runNotFoundError,
  runNotSealedError,
  runSealedError,
  TapelogError,
} from '../errors.js';
import { isSealed, normalizeForOpen } from '../manifest.js';
import { assertSafePathSegment } from '../run-id.js';
import { isUnsupportedStoreFormat } from '../store-format.js';
import type { RunManifest, RunStatus } from '../types.js';
import { CommitFaults } from './commit-faults.js';
import { markQuarantinedByCopy, readManifestCopy } from './manifest-copy.js';
import type { OpenRuns } from './open-runs.js';

/** Receives a provider's warnings (a run skipped by a listing, a copy that could not be written). */
export type WarningSink = (message: string, error?: unknown) => void;

/** Turns a storage engine's error into a TapelogError naming the operation and the path. */
export type StorageErrorMapper = (error: unknown, operation: string, path: string) => TapelogError;

/** `<baseDir>/<instanceId>`: every run of one trader instance. The id is checked so it cannot escape `baseDir`. */
export function instanceDirectory(baseDir: string, instanceId: string): string {
  assertSafePathSegment('instanceId', instanceId);
  return join(baseDir, instanceId);
}

/** `<baseDir>/<instanceId>/<runId><suffix>`: the directory of one run. */
export function runDirectory(baseDir: string, instanceId: string, runId: string, suffix: string): string {
  assertSafePathSegment('runId', runId);
  return join(instanceDirectory(baseDir, instanceId), `${runId}${suffix}`);
}

/** The run id of a directory name ending in `suffix`, or undefined when it is not a run (or ends in one of `notRunSuffixes`). */
export function runIdOfDirectoryName(name: string, suffix: string, notRunSuffixes: readonly string[] = []): string | undefined {
  if (!name.endsWith(suffix) || notRunSuffixes.some((other) => name.endsWith(other))) return undefined;
  const runId = name.slice(0, -suffix.length);
  return runId.length === 0 ? undefined : runId;
}

/** The default StorageErrorMapper: a TapelogError stays as it is; anything else is BACKEND naming the operation and path. */
function mapAnyError(error: unknown, operation: string, path: string): TapelogError {
  if (TapelogError.isInstance(error)) return error;
  return backendError(`${operation} ${path}: ${error instanceof Error ? error.message : String(error)}`, error);
}

/** What a subclass tells the base about its layout and engine. */
export interface RunDirectoryLayout<Store> {
  /** The name ending of a run directory, such as `.level`. */
  directorySuffix: string;
  /** Name endings of sibling directories that are not runs (a marker sidecar). */
  notRunSuffixes?: readonly string[];
  /** The registry of open runs, one per backend module so that every provider in a thread shares it. */
  openRuns: OpenRuns<Store>;
  /** Maps the engine's errors (see StorageErrorMapper). Default: a TapelogError stays as it is, anything else is BACKEND. */
  mapStorageError?: StorageErrorMapper;
  /** Prefix of default `console.warn` lines, such as `[tapelog/backend-level]`. Default `[tapelog]`. */
  warningPrefix?: string;
  /** How many runs `listRuns` reads at once. Defaults to 1. */
  listingConcurrency?: number;
}

/** A store the base can hold in its registry: it says whether it is sealed. */
export type RegisteredStore = EventStore & { readonly status: RunStatus };

export abstract class RunDirectoryProvider<Store extends RegisteredStore> implements EventStoreProvider {
  abstract readonly name: string;
  abstract readonly capabilities: BackendCapabilities;
  /** Present when `capabilities.tamper` is true. */
  readonly tamper?: TamperHooks;
  readonly faults: FaultHooks;
  readonly baseDir: string;
  /** Commit failures the conformance suite asks for; stores consult it before each commit. */
  protected readonly commitFaults = new CommitFaults();
  protected readonly warn: WarningSink;
  protected readonly mapStorageError: StorageErrorMapper;
  readonly #layout: RunDirectoryLayout<Store>;

  constructor(options: { baseDir: string }, layout: RunDirectoryLayout<Store>, warn: WarningSink | undefined) {
    if (typeof options !== 'object' || options === null || typeof options.baseDir !== 'string' || options.baseDir.length === 0) {
      throw new TypeError('createProvider expects { baseDir: string } with a non-empty baseDir');
    }
    this.baseDir = resolve(options.baseDir);
    this.#layout = layout;
    this.mapStorageError = layout.mapStorageError ?? mapAnyError;
    this.warn = warn ?? ((message, error) => console.warn(`${layout.warningPrefix ?? '[tapelog]'} ${message}`, error ?? ''));
    this.faults = this.commitFaults.hooks((instanceId, runId) => this.runPath(instanceId, runId));
  }

  // ---- what a subclass implements -----------------------------------------------------------

  /** The stored manifest of an existing run that `openRun` was asked to create (it decides RUN_SEALED or CRASHED_PREDECESSOR). */
  protected abstract _existingRunManifest(location: string): Promise<RunManifest>;
  /** Creates the run at `location` (not there yet) with its opened manifest and returns its open store. */
  protected abstract _createRun(location: string, manifest: RunManifest): Promise<Store>;
  /** Opens the existing run at `location` to recover it (see `openForRecovery`). */
  protected abstract _openForRecovery(location: string): Promise<Store>;
  /** Opens the existing run at `location` read-only (see `openSealed`). */
  protected abstract _openSealed(location: string): Promise<Store>;
  /** One run's manifest for a listing; throws when the run cannot be listed. */
  protected abstract _listedManifest(location: string): Promise<RunManifest>;

  /** True when a run that failed to list is skipped without a warning (reported elsewhere). */
  protected _isSkippedQuietly(_location: string): Promise<boolean> {
    return Promise.resolve(false);
  }

  // ---- the provider contract ----------------------------------------------------------------

  /** Where a run lives: `<baseDir>/<instanceId>/<runId><suffix>`. */
  runPath(instanceId: string, runId: string): string {
    return runDirectory(this.baseDir, instanceId, runId, this.#layout.directorySuffix);
  }

  async openRun(manifest: RunManifest): Promise<Store> {
    const location = this.runPath(manifest.instanceId, manifest.runId);
    // A sealed run held open (by a reader) is still a sealed run: say so, as for one on disk.
    const held = this.#layout.openRuns.at(location);
    if (held !== undefined && isSealed(held.status)) throw runSealedError(location, held.status);
    this.assertNotHeld(location);
    if (await this.exists(location)) {
      const stored = await this._existingRunManifest(location);
      if (isSealed(stored.status)) throw runSealedError(location, stored.status);
      throw crashedPredecessorError(location);
    }
    return this._createRun(location, normalizeForOpen(manifest));
  }

  async openForRecovery(instanceId: string, runId: string): Promise<Store> {
    return this._openForRecovery(await this.#existingRun(instanceId, runId));
  }

  async openSealed(instanceId: string, runId: string): Promise<Store> {
    return this._openSealed(await this.#existingRun(instanceId, runId));
  }

  async listRuns(instanceId: string): Promise<RunManifest[]> {
    const directory = instanceDirectory(this.baseDir, instanceId);
    const { directorySuffix, notRunSuffixes } = this.#layout;
    let runIds: string[];
    try {
      const dirents = await readdir(directory, { withFileTypes: true });
      runIds = dirents
        .map((dirent) => (dirent.isDirectory() ? runIdOfDirectoryName(dirent.name, directorySuffix, notRunSuffixes) : undefined))
        .filter((runId): runId is string => runId !== undefined);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return [];
      throw this.mapStorageError(error, 'read the instance directory', directory);
    }
    // Directory order differs between file systems; sorting first makes ties deterministic.
    runIds.sort();
    const results: Array<RunManifest | undefined> = new Array(runIds.length);
    let next = 0;
    let fatal: unknown;
    const worker = async (): Promise<void> => {
      while (fatal === undefined && next < runIds.length) {
        const index = next++;
        const location = this.runPath(instanceId, runIds[index]!);
        try {
          results[index] = await this._listedManifest(location);
        } catch (error) {
          if (isUnsupportedStoreFormat(error)) {
            fatal ??= error;
            return;
          }
          if (await this._isSkippedQuietly(location)) continue;
          this.warn(`listRuns skipped run ${location}: ${(error as Error).message}`, error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#layout.listingConcurrency ?? 1, runIds.length) }, worker));
    // An unsupported store format needs an operator, so it fails the listing as a whole.
    if (fatal !== undefined) throw fatal;
    const manifests = results.filter((manifest): manifest is RunManifest => manifest !== undefined);
    return manifests.sort((a, b) => (a.startTsInit < b.startTsInit ? -1 : a.startTsInit > b.startTsInit ? 1 : 0));
  }

  /**
   * Marks an unreadable `Running` run Quarantined through its manifest copy, without opening it
   * (reading it brought a reader process down): listings trust a sealed copy, so it is never
   * recovered again, and its files stay as the crash left them.
   */
  async markUnreadableRunQuarantined(listed: RunManifest): Promise<RunManifest> {
    const location = this.runPath(listed.instanceId, listed.runId);
    try {
      return await markQuarantinedByCopy(location, listed);
    } catch (error) {
      throw this.mapStorageError(error, 'mark quarantined', location);
    }
  }

  // ---- what subclasses may use --------------------------------------------------------------

  /** `<baseDir>/<instanceId>`. */
  protected instancePath(instanceId: string): string {
    return instanceDirectory(this.baseDir, instanceId);
  }

  /** The store holding the run at `location` open in this thread, if any. */
  protected heldAt(location: string): Store | undefined {
    return this.#layout.openRuns.at(location);
  }

  /** RUN_ALREADY_OPEN when a store of this thread holds the run at `location`. */
  protected assertNotHeld(location: string): void {
    if (this.#layout.openRuns.at(location) !== undefined) throw runAlreadyOpenError(location);
  }

  /** Builds a store with `build` and registers it until it closes (`build` receives the close callback). */
  protected install(location: string, build: (onClose: () => void) => Store): Store {
    const store: Store = build(() => this.#layout.openRuns.unregister(location, store));
    this.#layout.openRuns.register(location, store);
    return store;
  }

  /** True when `path` exists; other errors than a missing file are mapped. */
  protected async exists(path: string): Promise<boolean> {
    try {
      await stat(path);
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return false;
      throw this.mapStorageError(error, 'stat', path);
    }
  }

  /**
   * Why a run will not open read-only: not sealed, or marked Quarantined by the recovery sweep
   * without being opened (its reading killed a reader), which is damage, not a run to recover.
   */
  protected async notSealedError(location: string, status: string): Promise<TapelogError> {
    const copy = await readManifestCopy(location);
    if (copy?.status === 'Quarantined') {
      return corruptedError(
        `run ${location} was marked Quarantined without being opened: reading it brought a reader process down; its files are as the crash left them`,
      );
    }
    return runNotSealedError(location, status);
  }

  async #existingRun(instanceId: string, runId: string): Promise<string> {
    const location = this.runPath(instanceId, runId);
    this.assertNotHeld(location);
    if (!(await this.exists(location))) throw runNotFoundError(location);
    return location;
  }
}
