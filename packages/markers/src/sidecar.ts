/**
 * The marker sidecar of one run, as a lifecycle wires it: open the store beside the run, start
 * the writer, build capture over the kernel's extractor registry and the shared submit counter,
 * feed it every bus event, and close it after the entry writer at seal.
 */
import { backendError, TapelogError } from '@tapelog/core';
import { DataMarkerCapture, type MarkerCaptureLogger } from './capture.js';
import { type DataMarkerConfig, resolveDataMarkerConfig } from './config.js';
import type { DataClass } from './data-class.js';
import type { MarkerBackend } from './marker-backend.js';
import { MarkerWriter, type MarkerWriterStats } from './marker-writer.js';
import { MemoryMarkerBackend } from './memory-backend.js';
import { type MarkerManifest, newMarkerManifest } from './model.js';
import type { DataMarkerExtractorRegistry } from './registry.js';
import type { SubmitCountSource } from './submit-counter.js';

/** Builds the kernel's registry for the enabled classes (the lifecycle's marker registry factory). */
export type MarkerRegistryFactory = (enabledClasses: readonly DataClass[]) => DataMarkerExtractorRegistry;

/**
 * Where the marker rows go: memory, or a store package's opener (`levelMarkerStore(baseDir,
 * instanceId)` of `@tapelog/markers-level` puts them in LevelDB beside the run).
 */
export type MarkerStoreOption = { kind: 'memory'; backend?: MemoryMarkerBackend } | { kind: 'custom'; open(manifest: MarkerManifest): Promise<MarkerBackend> };

export interface MarkerSidecarLogger extends MarkerCaptureLogger {
  warn(message: string): void;
}

export interface OpenMarkerSidecarOptions {
  runId: string;
  config: DataMarkerConfig;
  store: MarkerStoreOption;
  /** The kernel's registry, or a factory that receives the enabled classes. */
  registry: DataMarkerExtractorRegistry | MarkerRegistryFactory;
  /** Shared with the capture adapter, seeded with the entry hwm (1 after `RunStarted`). */
  submitCounter: SubmitCountSource;
  logger?: MarkerSidecarLogger;
}

export interface MarkerSidecarCloseResult {
  /** The sealed manifest; absent when the lane had failed (the store then stays unsealed). */
  manifest?: MarkerManifest;
  error?: TapelogError;
  stats: MarkerWriterStats;
}

export class MarkerSidecar {
  /** The store's location (a directory for LevelDB, `memory` otherwise). */
  readonly location: string;
  readonly capture: DataMarkerCapture;
  readonly #writer: MarkerWriter;
  #closing: Promise<MarkerSidecarCloseResult> | undefined;

  /** @internal Use `openMarkerSidecar`. */
  constructor(location: string, capture: DataMarkerCapture, writer: MarkerWriter) {
    this.location = location;
    this.capture = capture;
    this.#writer = writer;
  }

  /** Per bus event, after entry capture succeeded (`captured`: the event became an entry). */
  onBusEvent(topic: string, message: unknown, now: bigint, captured: boolean): void {
    this.capture.onBusEvent(topic, message, now, captured);
  }

  get stats(): MarkerWriterStats {
    return this.#writer.stats;
  }

  /** Commits everything queued so far (tests, diagnostics). */
  flush(): Promise<void> {
    return this.#writer.flush();
  }

  /**
   * Stops capture, drains the writer, records a pending drop as a `WriterClosed` gap and seals
   * the store `Ended`. Never rejects: a failure is returned, because markers must not fail a seal.
   * No final snapshot is written (as upstream): data after the last snapshot is not recorded.
   */
  close(): Promise<MarkerSidecarCloseResult> {
    this.#closing ??= (async () => {
      this.capture.close();
      try {
        const manifest = await this.#writer.close();
        return { manifest, stats: this.#writer.stats };
      } catch (error) {
        const failure = TapelogError.isInstance(error) ? error : backendError(`close marker store at ${this.location}: ${String(error)}`, error);
        return { error: failure, stats: this.#writer.stats };
      }
    })();
    return this.#closing;
  }
}

async function openStore(store: MarkerStoreOption, manifest: MarkerManifest): Promise<MarkerBackend> {
  switch (store.kind) {
    case 'memory': {
      const backend = store.backend ?? new MemoryMarkerBackend();
      backend.openRun(manifest);
      return backend;
    }
    case 'custom':
      return store.open(manifest);
  }
}

/** Opens the sidecar of a run. Throws on setup failure; see `openMarkerSidecarOrDisable`. */
export async function openMarkerSidecar(options: OpenMarkerSidecarOptions): Promise<MarkerSidecar> {
  const config = resolveDataMarkerConfig(options.config);
  const logger = options.logger ?? console;
  const registry = typeof options.registry === 'function' ? options.registry(config.classes) : options.registry;
  const wired = new Set(registry.registeredClasses());
  const unwired = config.classes.filter((dataClass) => !wired.has(dataClass));
  if (unwired.length > 0) logger.warn(`Data marker classes ${unwired.join(', ')} have no extractor for run ${options.runId}; their messages are not recorded`);
  const manifest = newMarkerManifest(options.runId, config.classes, config.highFidelity.length > 0);
  const backend = await openStore(options.store, manifest);
  let writer: MarkerWriter;
  try {
    writer = await MarkerWriter.start(backend, config, {
      onFailure: (error) => logger.error(`Marker writer fail-stopped, marker capture is disabled for the rest of run ${options.runId}: ${error.message}`),
    });
  } catch (error) {
    await backend.close().catch(() => undefined);
    throw error;
  }
  const capture = new DataMarkerCapture({
    sink: writer,
    registry,
    submitCounter: options.submitCounter,
    highFidelity: config.highFidelity,
    safetyFlushIntervalNs: config.safetyFlushIntervalNs,
    logger,
  });
  return new MarkerSidecar(backend.location, capture, writer);
}

/**
 * Opens the sidecar, or logs a warning and returns undefined: marker setup never blocks
 * opening a run.
 */
export async function openMarkerSidecarOrDisable(options: OpenMarkerSidecarOptions): Promise<MarkerSidecar | undefined> {
  try {
    return await openMarkerSidecar(options);
  } catch (error) {
    (options.logger ?? console).warn(
      `Data marker sidecar disabled for run ${options.runId} after marker setup failed: ${(error as Error)?.message ?? String(error)}${TapelogError.isInstance(error) ? ` (${error.code})` : ''}`,
    );
    return undefined;
  }
}
