/**
 * Everything the reader process knows about one store: its instances and runs, and a few open
 * sealed runs with their summaries (least recently used first out). LevelDB runs are opened from
 * private copies (run-copies), so nothing under the store's directory is ever written.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  createProvider as createLevelProvider,
  instancePath,
  MARKERS_DIRECTORY_SUFFIX,
  markersPath,
  RUN_DIRECTORY_SUFFIX,
  runPath,
} from '@tapelog/backend-level';
import type { EventStore, EventStoreProvider, RunManifest } from '@tapelog/core';
import type { StoreLocation } from '../store-location.js';
import { RunCopies } from './run-copies.js';
import { fillRunSummary, type RunSummary, startRunSummary } from './run-summary.js';

/** How many runs stay open with their summaries (a million-entry summary is ~25 MB). */
const OPEN_RUN_LIMIT = 4;

export interface ListedRun {
  manifest: RunManifest | { runId: string; status: 'Incomplete'; location: string };
  sizeBytes: number | null;
  hasMarkers: boolean;
}

export interface OpenRun {
  instanceId: string;
  runId: string;
  store: EventStore;
  /** Read once at open (a sealed run's manifest never changes), so an overview never waits behind the summary's reads. */
  manifest: RunManifest;
  /** Being filled until `ready` settles; the timeline is answered from it meanwhile. */
  summary: RunSummary;
  ready: Promise<void>;
  /** Why filling the summary failed (a damaged row), once it has. */
  failure?: unknown;
}

function directorySize(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    total += entry.isDirectory() ? directorySize(child) : statSync(child).size;
  }
  return total;
}

async function postgresProvider(location: Extract<StoreLocation, { kind: 'postgres' }>): Promise<EventStoreProvider> {
  const { createProvider } = await import('@tapelog/backend-postgres');
  return createProvider(
    { connectionString: location.connectionString, ...(location.schema === undefined ? {} : { schema: location.schema }) },
    { warn: () => {} },
  );
}

export class RunCatalog {
  readonly #location: StoreLocation;
  readonly #instances: readonly string[];
  readonly #copies: RunCopies | undefined;
  #listing: EventStoreProvider | undefined;
  #reading: EventStoreProvider | undefined;
  readonly #open = new Map<string, Promise<OpenRun>>();

  readonly #onReading: (instanceId: string, runId: string, done: boolean) => void;

  /** `onReading` hears when a run's summary starts and stops filling (a crash meanwhile is that run's). */
  constructor(
    location: StoreLocation,
    instances: readonly string[],
    copiesDirectory: string,
    onReading: (instanceId: string, runId: string, done: boolean) => void = () => {},
  ) {
    this.#onReading = onReading;
    this.#location = location;
    this.#instances = instances;
    this.#copies = location.kind === 'level' ? new RunCopies(location.baseDir, copiesDirectory) : undefined;
  }

  /** The provider over the store itself: listings only read manifest copies, never a run. */
  async #listingProvider(): Promise<EventStoreProvider> {
    if (this.#listing !== undefined) return this.#listing;
    this.#listing =
      this.#location.kind === 'level' ? createLevelProvider({ baseDir: this.#location.baseDir }, { warn: () => {} }) : await postgresProvider(this.#location);
    return this.#listing;
  }

  /** The provider runs are opened through: over the private copies for LevelDB. */
  async #readingProvider(): Promise<EventStoreProvider> {
    if (this.#reading !== undefined) return this.#reading;
    this.#reading = this.#copies === undefined ? await this.#listingProvider() : createLevelProvider({ baseDir: this.#copies.baseDir }, { warn: () => {} });
    return this.#reading;
  }

  listInstances(): string[] {
    const location = this.#location;
    if (this.#instances.length > 0 || location.kind !== 'level') return [...this.#instances];
    if (!existsSync(location.baseDir)) return [];
    return readdirSync(location.baseDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .filter((entry) =>
        readdirSync(join(location.baseDir, entry.name)).some((name) => name.endsWith(RUN_DIRECTORY_SUFFIX) && !name.endsWith(MARKERS_DIRECTORY_SUFFIX)),
      )
      .map((entry) => entry.name)
      .sort();
  }

  async listRuns(instanceId: string): Promise<ListedRun[]> {
    const provider = await this.#listingProvider();
    const manifests = await provider.listRuns(instanceId);
    const location = this.#location;
    const listed: ListedRun[] = manifests.map((manifest) => {
      if (location.kind !== 'level') return { manifest, sizeBytes: null, hasMarkers: false };
      const directory = runPath(location.baseDir, instanceId, manifest.runId);
      return {
        manifest,
        sizeBytes: existsSync(directory) ? directorySize(directory) : null,
        hasMarkers: existsSync(markersPath(location.baseDir, instanceId, manifest.runId)),
      };
    });
    const listIncomplete = (provider as { listIncompleteRuns?: (instance: string) => Promise<Array<{ runId: string; location: string }>> }).listIncompleteRuns;
    if (listIncomplete !== undefined && location.kind === 'level' && existsSync(instancePath(location.baseDir, instanceId))) {
      for (const { runId, location: where } of await listIncomplete.call(provider, instanceId)) {
        listed.push({ manifest: { runId, status: 'Incomplete', location: where }, sizeBytes: null, hasMarkers: false });
      }
    }
    return listed;
  }

  /** Opens a sealed run and starts summarising it (once); `Running` runs are refused (RUN_NOT_SEALED) until recovered. */
  openRun(instanceId: string, runId: string): Promise<OpenRun> {
    const key = `${instanceId}/${runId}`;
    let opening = this.#open.get(key);
    if (opening === undefined) {
      opening = this.#openFresh(instanceId, runId);
      this.#open.set(key, opening);
      opening.catch(() => this.#forget(key, instanceId, runId));
      void this.#evict();
    } else {
      // Most recently used last.
      this.#open.delete(key);
      this.#open.set(key, opening);
    }
    return opening;
  }

  async #openFresh(instanceId: string, runId: string): Promise<OpenRun> {
    this.#copies?.ensure(instanceId, runId);
    const store = await (await this.#readingProvider()).openSealed(instanceId, runId);
    // Reading starts with the sample: a reader that dies from here on is blamed on this run.
    this.#onReading(instanceId, runId, false);
    let summary: RunSummary;
    let manifest: RunManifest;
    try {
      [summary, manifest] = await Promise.all([startRunSummary(store), store.manifest()]);
    } catch (error) {
      this.#onReading(instanceId, runId, true);
      await store.close().catch(() => {});
      throw error;
    }
    const run: OpenRun = { instanceId, runId, store, manifest, summary, ready: fillRunSummary(store, summary) };
    void run.ready.then(
      () => this.#onReading(instanceId, runId, true),
      () => this.#onReading(instanceId, runId, true),
    );
    // A run that fails part-way is forgotten, so the next page reads it afresh and meets the damage again.
    run.ready.catch((error: unknown) => {
      run.failure = error;
      const key = `${instanceId}/${runId}`;
      if (this.#open.has(key)) this.#open.delete(key);
      void store.close().catch(() => {});
      this.#copies?.discard(instanceId, runId);
    });
    return run;
  }

  #forget(key: string, instanceId: string, runId: string): void {
    this.#open.delete(key);
    this.#copies?.discard(instanceId, runId);
  }

  async #evict(): Promise<void> {
    while (this.#open.size > OPEN_RUN_LIMIT) {
      const [key, opening] = this.#open.entries().next().value as [string, Promise<OpenRun>];
      this.#open.delete(key);
      const run = await opening.catch(() => undefined);
      if (run === undefined) continue;
      await run.store.close().catch(() => {});
      this.#copies?.discard(run.instanceId, run.runId);
    }
  }

  /** The marker sidecar of a LevelDB run, as a copy; undefined when the run has none. */
  markersCopyPath(instanceId: string, runId: string): string | undefined {
    if (this.#copies === undefined) return undefined;
    this.#copies.ensure(instanceId, runId);
    const path = markersPath(this.#copies.baseDir, instanceId, runId);
    return existsSync(path) ? path : undefined;
  }

  async close(): Promise<void> {
    for (const opening of this.#open.values()) {
      const run = await opening.catch(() => undefined);
      await run?.store.close().catch(() => {});
    }
    this.#open.clear();
    this.#copies?.removeAll();
  }
}
