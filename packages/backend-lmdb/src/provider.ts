/**
 * The LMDB provider: one storage location (`baseDir`) holding many runs, one LMDB environment
 * each. It opens runs by the rules of the contract and lists an instance's runs from their
 * manifest copies, falling back to the environment whenever a copy cannot settle the answer.
 */
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
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
import { closeQuietly, openEnvironment, type RunEnvironment, readLastSeq, readManifestRow, readStoreFormat } from './environment.js';
import { mapStorageError } from './error-mapping.js';
import { RUN_DIRECTORY_SUFFIX } from './paths.js';
import { recoverMaxTsInit } from './progress.js';
import { checksummed, encodeFormatValue, FORMAT_KEY, MANIFEST_KEY } from './rows.js';
import { checkSealDigest } from './seal-digest.js';
import { capabilities, LmdbEventStore } from './store.js';
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

export class LmdbProvider extends RunDirectoryProvider<LmdbEventStore> {
  readonly name = 'lmdb';
  readonly capabilities = capabilities;
  override readonly tamper: TamperHooks;

  constructor(options: LmdbProviderOptions, hooks: LmdbProviderHooks = {}) {
    super(options, { directorySuffix: RUN_DIRECTORY_SUFFIX, openRuns, mapStorageError, warningPrefix: '[tapelog/backend-lmdb]' }, hooks.warn);
    this.tamper = createTamperHooks(this.baseDir, (location) => this.assertNotHeld(location));
  }

  /** The copy answers without mapping an environment that may be damaged; without one the environment decides. */
  protected async _existingRunManifest(location: string): Promise<RunManifest> {
    return (await readManifestCopy(location)) ?? (await this.#storedManifest(location));
  }

  protected async _createRun(location: string, manifest: RunManifest): Promise<LmdbEventStore> {
    try {
      await mkdir(location, { recursive: true });
      // The copy comes first, so a listing finds every run with a copy and never needs to map its
      // environment; a run whose process died before its first commit then reads as damaged.
      await writeManifestCopy(location, manifest);
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
        opened.meta.putSync(MANIFEST_KEY, checksummed(encodeManifest(manifest)));
      });
      await opened.root.flushed;
      // LMDB syncs its own file; the new run directory entry (and a new instance directory)
      // must be synced too, or power loss could forget the whole run.
      await syncDirectory(location);
      await syncDirectory(dirname(location));
      await syncDirectory(this.baseDir);
    } catch (error) {
      if (environment !== undefined) await closeQuietly(environment);
      // Nothing was acknowledged: remove the half-made run so its id is not left unopenable.
      await rm(location, { recursive: true, force: true }).catch(() => undefined);
      throw mapStorageError(error, 'initialise run', location);
    }
    return this.#install({ environment, location, manifest, highWatermark: 0, maxTsInit: 0n, readOnly: false });
  }

  protected async _openForRecovery(location: string): Promise<LmdbEventStore> {
    // A sealed run is never opened for writing: a copy saying sealed settles it without a write open.
    const copy = await readManifestCopy(location);
    if (copy !== undefined && isSealed(copy.status)) throw runSealedError(location, copy.status);
    return this.#openExisting(location, false);
  }

  protected async _openSealed(location: string): Promise<LmdbEventStore> {
    await checkSealDigest(location);
    return this.#openExisting(location, true);
  }

  /**
   * One run's manifest for a listing: its copy when there is one, so listing never maps an
   * environment that might be damaged (LMDB trusts its pages, and a damaged page can crash the
   * process that reads it). A copy is written before the run's first commit and after its seal
   * commit, so a Running copy can be stale only when the process died between the seal commit
   * and the copy write; `openForRecovery` then finds the seal and corrects the copy. Without a
   * copy, the environment decides (opened read-only) and the copy is rewritten.
   */
  protected async _listedManifest(location: string): Promise<RunManifest> {
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
      if (readOnly && !isSealed(stored.status)) throw await this.notSealedError(location, stored.status);
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
    return this.install(state.location, (onClose) => new LmdbEventStore({ ...state, warn: this.warn, faults: this.commitFaults, onClose }));
  }
}

/** Builds the LMDB provider. `options` is plain data; `hooks` stays in this thread. */
export function createProvider(options: LmdbProviderOptions, hooks: LmdbProviderHooks = {}): LmdbProvider {
  return new LmdbProvider(options, hooks);
}
