/**
 * The LMDB provider: one storage location (`baseDir`) holding many runs, one LMDB environment
 * each. It opens runs by the rules of the contract and lists an instance's runs from their
 * manifest copies, falling back to the environment whenever a copy cannot settle the answer.
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
  sealedManifest,
  type TamperHooks,
  type TapelogError,
} from '@tapelog/core';
import { CommitFaults, OpenRuns, syncDirectory } from '@tapelog/core/backend';
import { closeQuietly, openEnvironment, type RunEnvironment, readLastSeq, readManifestRow, readStoreFormat } from './environment.js';
import { mapStorageError } from './error-mapping.js';
import { instancePath, runIdOfDirectoryName, runPath } from './paths.js';
import { recoverMaxTsInit } from './progress.js';
import { checksummed, encodeFormatValue, FORMAT_KEY, MANIFEST_KEY } from './rows.js';
import { checkSealDigest } from './seal-digest.js';
import { readManifestCopy, writeManifestCopy } from './side-files.js';
import { capabilities, LmdbEventStore, type WarningSink } from './store.js';
import { createTamperHooks } from './tamper.js';

/** The runs this thread holds open (see OpenRuns). */
const openRuns = new OpenRuns<LmdbEventStore>();

/** Plain data, so the writer can rebuild the provider inside its worker thread. */
export interface LmdbProviderOptions {
  /** The directory holding `<instanceId>/<runId>.lmdb/` run directories. Created on first use. */
  baseDir: string;
}

/** In-process extras that cannot cross a thread boundary; all optional. */
export interface LmdbProviderHooks {
  /** Receives warnings such as a run skipped by `listRuns`. Defaults to `console.warn`. */
  warn?: WarningSink;
}

export class LmdbProvider implements EventStoreProvider {
  readonly name = 'lmdb';
  readonly capabilities = capabilities;
  readonly tamper: TamperHooks;
  readonly faults: FaultHooks;
  readonly baseDir: string;
  readonly #commitFaults = new CommitFaults();
  readonly #warn: WarningSink;

  constructor(options: LmdbProviderOptions, hooks: LmdbProviderHooks = {}) {
    if (typeof options !== 'object' || options === null || typeof options.baseDir !== 'string' || options.baseDir.length === 0) {
      throw new TypeError('createProvider expects { baseDir: string } with a non-empty baseDir');
    }
    this.baseDir = resolve(options.baseDir);
    this.#warn = hooks.warn ?? ((message, error) => console.warn(`[tapelog/backend-lmdb] ${message}`, error ?? ''));
    this.tamper = createTamperHooks(this.baseDir, (location) => this.#assertNotHeld(location));
    this.faults = this.#commitFaults.hooks((instanceId, runId) => runPath(this.baseDir, instanceId, runId));
  }

  /** Where a run lives: `<baseDir>/<instanceId>/<runId>.lmdb`. */
  runPath(instanceId: string, runId: string): string {
    return runPath(this.baseDir, instanceId, runId);
  }

  async openRun(manifest: RunManifest): Promise<LmdbEventStore> {
    const location = runPath(this.baseDir, manifest.instanceId, manifest.runId);
    const held = openRuns.at(location);
    if (held !== undefined && isSealed(held.status)) throw runSealedError(location, held.status);
    this.#assertNotHeld(location);
    const instanceDirectory = dirname(location);
    if (await exists(location)) {
      // The copy answers without mapping an environment that may be damaged; without one the environment decides.
      const stored = (await readManifestCopy(location)) ?? (await this.#storedManifest(location));
      if (isSealed(stored.status)) throw runSealedError(location, stored.status);
      throw crashedPredecessorError(location);
    }
    const normalized = normalizeForOpen(manifest);
    try {
      await mkdir(location, { recursive: true });
      // The copy comes first, so a listing finds every run with a copy and never needs to map its
      // environment; a run whose process died before its first commit then reads as damaged.
      await writeManifestCopy(location, normalized);
    } catch (error) {
      await rm(location, { recursive: true, force: true }).catch(() => undefined);
      throw mapStorageError(error, 'create the directory of run', location);
    }
    let environment: RunEnvironment | undefined;
    try {
      environment = openEnvironment(location, false);
      const opened = environment;
      opened.root.transactionSync(() => {
        opened.meta.putSync(FORMAT_KEY, encodeFormatValue(STORE_FORMAT_VERSION));
        opened.meta.putSync(MANIFEST_KEY, checksummed(encodeManifest(normalized)));
      });
      await opened.root.flushed;
      // LMDB syncs its own file; the new run directory entry (and a new instance directory)
      // must be synced too, or power loss could forget the whole run.
      await syncDirectory(location);
      await syncDirectory(instanceDirectory);
      await syncDirectory(this.baseDir);
    } catch (error) {
      if (environment !== undefined) await closeQuietly(environment);
      // Nothing was acknowledged: remove the half-made run so its id is not left unopenable.
      await rm(location, { recursive: true, force: true }).catch(() => undefined);
      throw mapStorageError(error, 'initialise run', location);
    }
    return this.#install({ environment, location, manifest: normalized, highWatermark: 0, maxTsInit: 0n, readOnly: false });
  }

  async openForRecovery(instanceId: string, runId: string): Promise<LmdbEventStore> {
    const location = runPath(this.baseDir, instanceId, runId);
    this.#assertNotHeld(location);
    if (!(await exists(location))) throw runNotFoundError(location);
    // A sealed run is never opened for writing: a copy saying sealed settles it without a write open.
    const copy = await readManifestCopy(location);
    if (copy !== undefined && isSealed(copy.status)) throw runSealedError(location, copy.status);
    return this.#openExisting(location, false);
  }

  async openSealed(instanceId: string, runId: string): Promise<LmdbEventStore> {
    const location = runPath(this.baseDir, instanceId, runId);
    this.#assertNotHeld(location);
    if (!(await exists(location))) throw runNotFoundError(location);
    await checkSealDigest(location);
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
      throw mapStorageError(error, 'read the instance directory', directory);
    }
    names.sort();
    const manifests: RunManifest[] = [];
    for (const name of names) {
      const location = runPath(this.baseDir, instanceId, runIdOfDirectoryName(name)!);
      try {
        manifests.push(await this.#listedManifest(location));
      } catch (error) {
        // An unsupported store format needs an operator, so it fails the listing as a whole.
        if (isUnsupportedStoreFormat(error)) throw error;
        this.#warn(`listRuns skipped run ${location}: ${(error as Error).message}`, error);
      }
    }
    return manifests.sort((a, b) => (a.startTsInit < b.startTsInit ? -1 : a.startTsInit > b.startTsInit ? 1 : 0));
  }

  /**
   * Marks an unreadable `Running` run Quarantined through its manifest copy, without opening its
   * environment (reading it brought a reader process down): listings trust a sealed copy, so it
   * is never recovered again, and its files stay as the crash left them.
   */
  async markUnreadableRunQuarantined(listed: RunManifest): Promise<RunManifest> {
    const location = runPath(this.baseDir, listed.instanceId, listed.runId);
    const quarantined = sealedManifest(listed, 'Quarantined', 0, 0n, undefined);
    try {
      await writeManifestCopy(location, quarantined);
    } catch (error) {
      throw mapStorageError(error, 'mark quarantined', location);
    }
    return quarantined;
  }

  /**
   * One run's manifest for a listing: its copy when there is one, so listing never maps an
   * environment that might be damaged (LMDB trusts its pages, and a damaged page can crash the
   * process that reads it). A copy is written before the run's first commit and after its seal
   * commit, so a Running copy can be stale only when the process died between the seal commit
   * and the copy write; `openForRecovery` then finds the seal and corrects the copy. Without a
   * copy, the environment decides (opened read-only) and the copy is rewritten.
   */
  async #listedManifest(location: string): Promise<RunManifest> {
    const copy = await readManifestCopy(location);
    if (copy !== undefined) return copy;
    const stored = await this.#storedManifest(location);
    // Refresh the copy so the next listing is fast and never maps the environment; a failure only costs speed.
    await writeManifestCopy(location, stored).catch(() => undefined);
    return stored;
  }

  /** The manifest stored in the run's environment (opened read-only for the moment it takes). */
  async #storedManifest(location: string): Promise<RunManifest> {
    const environment = openEnvironment(location, true);
    try {
      const marker = readStoreFormat(environment, location);
      const manifest = readManifestRow(environment, location);
      // No marker and no manifest: the process died before the run's first commit; it is empty, not foreign.
      if (marker === undefined && manifest === undefined) throw corruptedError(`missing manifest in run file at ${location}`);
      checkStoreFormat(marker, location);
      if (manifest === undefined) throw corruptedError(`missing manifest in run file at ${location}`);
      return manifest;
    } finally {
      await closeQuietly(environment);
    }
  }

  async #openExisting(location: string, readOnly: boolean): Promise<LmdbEventStore> {
    const environment = openEnvironment(location, readOnly);
    try {
      checkStoreFormat(readStoreFormat(environment, location), location);
      const stored = readManifestRow(environment, location);
      if (stored === undefined) throw corruptedError(`missing manifest in run file at ${location}`);
      if (readOnly && !isSealed(stored.status)) throw await notSealedError(location, stored.status);
      if (!readOnly && isSealed(stored.status)) {
        // The process died between the seal commit and the copy write: correct the copy for listings.
        await writeManifestCopy(location, stored).catch(() => undefined);
        throw runSealedError(location, stored.status);
      }
      const highWatermark = readLastSeq(environment, location);
      // A sealed run is never sealed again, so it needs only its hwm, not the largest tsInit.
      const maxTsInit = readOnly ? 0n : recoverMaxTsInit(environment, location);
      return this.#install({ environment, location, manifest: stored, highWatermark, maxTsInit, readOnly });
    } catch (error) {
      await closeQuietly(environment);
      throw error;
    }
  }

  #install(state: {
    environment: RunEnvironment;
    location: string;
    manifest: RunManifest;
    highWatermark: number;
    maxTsInit: bigint;
    readOnly: boolean;
  }): LmdbEventStore {
    const store: LmdbEventStore = new LmdbEventStore({
      ...state,
      warn: this.#warn,
      faults: this.#commitFaults,
      onClose: () => openRuns.unregister(state.location, store),
    });
    openRuns.register(state.location, store);
    return store;
  }

  #assertNotHeld(location: string): void {
    if (openRuns.at(location) !== undefined) throw runAlreadyOpenError(location);
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

/** Builds the LMDB provider. `options` is plain data; `hooks` stays in this thread. */
export function createProvider(options: LmdbProviderOptions, hooks: LmdbProviderHooks = {}): LmdbProvider {
  return new LmdbProvider(options, hooks);
}
