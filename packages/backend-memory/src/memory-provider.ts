/**
 * The memory provider: every run of every instance in one process-local map. Nothing persists
 * beyond the provider instance; the rules for opening, recovering and listing runs are those of
 * the persistent backends.
 */
import {
  assertSafePathSegment,
  checkStoreFormat,
  corruptedError,
  crashedPredecessorError,
  decodeManifest,
  type EventStore,
  type EventStoreProvider,
  encodeManifest,
  type FaultHooks,
  isUnsupportedStoreFormat,
  normalizeForOpen,
  type RunManifest,
  runAlreadyOpenError,
  runNotFoundError,
  runNotSealedError,
  runSealedError,
  type TamperHooks,
} from '@tapelog/core';
import { CommitFaults } from '@tapelog/core/backend';
import { MEMORY_CAPABILITIES, MemoryEventStore, type StoreMode } from './memory-store.js';
import { type MemoryRunRecord, newRunRecord } from './run-record.js';

export interface MemoryProviderOptions {
  /** A name for messages; defaults to `memory`. */
  name?: string;
}

export function memoryRunLocation(instanceId: string, runId: string): string {
  return `memory://${instanceId}/${runId}`;
}

export class MemoryProvider implements EventStoreProvider {
  readonly name: string;
  readonly capabilities = MEMORY_CAPABILITIES;
  readonly tamper: TamperHooks;
  readonly faults: FaultHooks;
  readonly #commitFaults = new CommitFaults();
  readonly #instances = new Map<string, Map<string, MemoryRunRecord>>();

  constructor(options: MemoryProviderOptions = {}) {
    this.name = options.name ?? 'memory';
    this.tamper = createTamperHooks((instanceId, runId) => this.#existing(instanceId, runId));
    this.faults = this.#commitFaults.hooks(memoryRunLocation);
  }

  #runs(instanceId: string): Map<string, MemoryRunRecord> {
    let runs = this.#instances.get(instanceId);
    if (runs === undefined) {
      runs = new Map();
      this.#instances.set(instanceId, runs);
    }
    return runs;
  }

  #existing(instanceId: string, runId: string): MemoryRunRecord {
    const record = this.#instances.get(instanceId)?.get(runId);
    if (record === undefined) throw runNotFoundError(memoryRunLocation(instanceId, runId));
    return record;
  }

  /** Format, manifest and exclusivity checks shared by every open of an existing run. */
  #readExisting(instanceId: string, runId: string, record: MemoryRunRecord): RunManifest {
    const location = memoryRunLocation(instanceId, runId);
    if (record.open) throw runAlreadyOpenError(location);
    checkStoreFormat(record.formatMarker, location);
    if (record.manifest === undefined) throw corruptedError(`missing manifest in run file at ${location}`);
    return decodeManifest(record.manifest);
  }

  #store(record: MemoryRunRecord, manifest: RunManifest, instanceId: string, runId: string, mode: StoreMode): EventStore {
    return new MemoryEventStore(record, manifest, memoryRunLocation(instanceId, runId), mode, this.#commitFaults);
  }

  async openRun(manifest: RunManifest): Promise<EventStore> {
    assertSafePathSegment('instanceId', manifest.instanceId);
    assertSafePathSegment('runId', manifest.runId);
    const { instanceId, runId } = manifest;
    const runs = this.#runs(instanceId);
    const existing = runs.get(runId);
    if (existing !== undefined) {
      const stored = this.#readExisting(instanceId, runId, existing);
      const location = memoryRunLocation(instanceId, runId);
      if (stored.status !== 'Running') throw runSealedError(location, stored.status);
      throw crashedPredecessorError(location);
    }
    const normalized = normalizeForOpen(manifest);
    const record = newRunRecord(encodeManifest(normalized));
    runs.set(runId, record);
    return this.#store(record, normalized, instanceId, runId, 'write');
  }

  async openForRecovery(instanceId: string, runId: string): Promise<EventStore> {
    const record = this.#existing(instanceId, runId);
    const manifest = this.#readExisting(instanceId, runId, record);
    if (manifest.status !== 'Running') {
      throw runSealedError(memoryRunLocation(instanceId, runId), manifest.status);
    }
    return this.#store(record, manifest, instanceId, runId, 'write');
  }

  async openSealed(instanceId: string, runId: string): Promise<EventStore> {
    const record = this.#existing(instanceId, runId);
    const manifest = this.#readExisting(instanceId, runId, record);
    if (manifest.status === 'Running') {
      throw runNotSealedError(memoryRunLocation(instanceId, runId), 'Running');
    }
    return this.#store(record, manifest, instanceId, runId, 'read-only');
  }

  async listRuns(instanceId: string): Promise<RunManifest[]> {
    const manifests: RunManifest[] = [];
    for (const [runId, record] of this.#instances.get(instanceId) ?? []) {
      const location = memoryRunLocation(instanceId, runId);
      try {
        checkStoreFormat(record.formatMarker, location);
        if (record.manifest === undefined) throw corruptedError(`missing manifest in run file at ${location}`);
        manifests.push(decodeManifest(record.manifest));
      } catch (error) {
        if (isUnsupportedStoreFormat(error)) throw error;
        console.warn(`tapelog: skipping run ${location}: ${(error as Error).message}`);
      }
    }
    // Array.prototype.sort is stable: ties keep insertion order.
    return manifests.sort((a, b) => (a.startTsInit < b.startTsInit ? -1 : a.startTsInit > b.startTsInit ? 1 : 0));
  }
}

function createTamperHooks(find: (instanceId: string, runId: string) => MemoryRunRecord): TamperHooks {
  return {
    async deleteEntry(instanceId, runId, seq) {
      find(instanceId, runId).entries.delete(seq);
    },
    async overwriteEntry(instanceId, runId, seq, bytes) {
      find(instanceId, runId).entries.set(seq, Uint8Array.from(bytes));
    },
    async overwriteAnchor(instanceId, runId, bytes) {
      find(instanceId, runId).anchor = Uint8Array.from(bytes);
    },
    async deleteManifest(instanceId, runId) {
      find(instanceId, runId).manifest = undefined;
    },
    async setFormatMarker(instanceId, runId, version) {
      find(instanceId, runId).formatMarker = version;
    },
  };
}

/** A fresh, empty memory provider. */
export function createProvider(options: MemoryProviderOptions = {}): MemoryProvider {
  return new MemoryProvider(options);
}
