/**
 * The one object a kernel holds for its event store: `boot` recovers crashed predecessors,
 * `open` starts a run with a durable RunStarted and installs the capture tap, `seal` ends it
 * with RunEnded, `restoreParentCache` rebuilds state from the parent run.
 */
import { randomUUID } from 'node:crypto';
import { BusCaptureAdapter, createEventStoreTap, EncoderRegistry, type TapHost } from '@tapelog/capture';
import { assertSafePathSegment, buildRunId, type Clock, type RegisteredComponents, type RunManifest, TapelogError } from '@tapelog/core';
import {
  probeRestoreSourceIsolated,
  type ReaderIsolation,
  type RecoveredRun,
  type RestoreReport,
  type RestoreTarget,
  recoverPredecessors,
  restoreFromSealedRun,
  validateReplaySource,
} from '@tapelog/recovery';
import { createInlineWriter, describeHaltReason, type EventStoreWriter, type HaltReason, prewarmWriterThread, spawnWriter } from '@tapelog/writer';
import { type BackendChoice, type BackendOpener, levelBackend } from './backend-choice.js';
import { assertValidConfig, DEFAULT_RUN_STARTED_TIMEOUT_MS, type EventStoreConfig } from './config.js';
import { HaltSignal } from './halt-signal.js';
import { buildRunManifest } from './manifest-builder.js';
import { type MarkerRegistryFactory, openMarkerSidecar } from './marker-setup.js';
import { runStartedDraft, submitRunStarted } from './run-started.js';
import { EventStoreSession, type SnapshotAnchorer } from './session.js';
import { ABANDON_WAIT_MS, abandonOrTerminate } from './writer-stop.js';

export type LifecycleLogger = (level: 'info' | 'warn' | 'error', message: string) => void;

export interface EventStoreLifecycleOptions {
  /** Called once per `open`; default: an empty registry (nothing is captured until types are registered). */
  registryFactory?: () => EncoderRegistry;
  /** The backend; default LevelDB under `config.baseDir`. */
  openBackend?: BackendOpener;
  /** `worker` (default when the backend has a module spec) or `inline` (same thread, deterministic; for simulation). */
  writerKind?: 'worker' | 'inline';
  /** Builds the marker extractor registry for the enabled classes; default: none (markers need one). */
  markerRegistryFactory?: MarkerRegistryFactory;
  /** The UUID whose first 8 hex characters suffix run ids; default random. Seed it for reproducible ids. */
  runIdUuid?: () => string;
  /** Default: console. */
  logger?: LifecycleLogger;
  /**
   * Read runs that may be damaged in a child process first (default true when the backend has a
   * module spec): the recovery sweep reads each crashed run in one, and `restoreParentCache`
   * probes its source in one, so a damaged run that makes the backend abort its process is
   * quarantined or reported CORRUPTED instead of killing the kernel. Costs one child process
   * (a few hundred milliseconds) per crashed run at boot and per restore.
   */
  isolateReads?: boolean;
}

/** The child-process reader for runs that may be damaged, unless turned off or the backend has no module spec. */
function readerIsolation(backend: BackendChoice, options: EventStoreLifecycleOptions): ReaderIsolation | undefined {
  if (options.isolateReads === false || backend.module === undefined) return undefined;
  return { backend: backend.module };
}

/** What `open` needs from the kernel. */
export interface OpenContext {
  /** The kernel's bus: the capture tap is installed on it. */
  bus: TapHost;
  /** The clock that stamps captured entries and writer publish times. */
  environment: { clock: Clock };
}

/** Capture log context as `key=value` pairs, errors by their message. */
function describeDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}=${value instanceof Error ? value.message : String(value)}`)
    .join(' ');
}

const consoleLogger: LifecycleLogger = (level, message) => {
  if (level === 'info') console.info(message);
  else if (level === 'warn') console.warn(message);
  else console.error(message);
};

export class EventStoreLifecycle {
  readonly config: EventStoreConfig | undefined;
  readonly instanceId: string;
  readonly recovered: readonly RecoveredRun[];
  readonly #recoveredParent: string | undefined;
  readonly #clock: Clock;
  readonly #options: EventStoreLifecycleOptions;
  readonly #backend: BackendChoice | undefined;
  readonly #log: LifecycleLogger;
  #signal = new HaltSignal();
  #session: EventStoreSession | undefined;
  #bus: TapHost | undefined;

  private constructor(
    config: EventStoreConfig | undefined,
    instanceId: string,
    clock: Clock,
    options: EventStoreLifecycleOptions,
    backend: BackendChoice | undefined,
    recovered: RecoveredRun[],
    parentRunId: string | undefined,
  ) {
    this.config = config;
    this.instanceId = instanceId;
    this.#clock = clock;
    this.#options = options;
    this.#backend = backend;
    this.recovered = recovered;
    this.#recoveredParent = parentRunId;
    this.#log = options.logger ?? consoleLogger;
  }

  /**
   * Without a config the event store is off and every later call does nothing. With one, the
   * recovery sweep seals every run a crashed process left Running before anything else happens.
   */
  static async boot(
    config: EventStoreConfig | undefined,
    instanceId: string,
    clock: Clock,
    options: EventStoreLifecycleOptions = {},
  ): Promise<EventStoreLifecycle> {
    assertSafePathSegment('instanceId', instanceId);
    if (config === undefined) return new EventStoreLifecycle(undefined, instanceId, clock, options, undefined, [], undefined);
    assertValidConfig(config);
    const backend = await (options.openBackend ?? levelBackend)(config);
    // The writer thread starts and loads the backend module while the recovery sweep runs, and
    // from then on a process that runs session after session finds one waiting at every open.
    if ((options.writerKind ?? (backend.module ? 'worker' : 'inline')) === 'worker' && backend.module !== undefined) {
      prewarmWriterThread(backend.module.module);
    }
    const log = options.logger ?? consoleLogger;
    const isolation = readerIsolation(backend, options);
    const outcome = await recoverPredecessors(backend.provider, instanceId, {
      logger: (message) => log('warn', message),
      ...(isolation === undefined ? {} : { isolation }),
    });
    if (outcome.recovered.length > 0) {
      log('info', `tapelog: recovered ${outcome.recovered.length} run(s) of ${instanceId}; parent ${outcome.parentRunId ?? 'none'}`);
    }
    return new EventStoreLifecycle(config, instanceId, clock, options, backend, outcome.recovered, outcome.parentRunId);
  }

  /** False when booted without a config: the event store is off. */
  get enabled(): boolean {
    return this.config !== undefined;
  }

  /** The configured replay source if any, else the run recovered as parent. Known before `open`. */
  get parentRunId(): string | undefined {
    return this.config?.replayFromRunId ?? this.#recoveredParent;
  }

  get isReplayConfigured(): boolean {
    return this.config?.replayFromRunId !== undefined;
  }

  get runId(): string | undefined {
    return this.#session?.runId;
  }

  /** The manifest of the open run as built at open. */
  get manifest(): RunManifest | undefined {
    return this.#session?.manifest;
  }

  get isHalted(): boolean {
    return this.#signal.isHalted;
  }

  get haltReason(): HaltReason | undefined {
    return this.#signal.reason;
  }

  /** The durable hwm of the open run (0 when none). */
  get highWatermark(): number {
    return this.#session?.highWatermark ?? 0;
  }

  /** The open run's writer, for kernels that wait on durability. */
  get writer(): EventStoreWriter | undefined {
    return this.#session?.writer;
  }

  get hasMarkers(): boolean {
    return this.#session?.hasMarkers ?? false;
  }

  /** A HALTED error naming the reason when the current run has halted. */
  checkHalt(): TapelogError | undefined {
    const reason = this.#signal.reason;
    if (!this.#signal.isHalted || reason === undefined) return undefined;
    return new TapelogError('HALTED', `event store halted: ${describeHaltReason(reason)}`);
  }

  /**
   * Opens a new run: seals a leftover session first, re-arms the halt signal, validates a
   * configured replay source, starts the writer, makes RunStarted durable, sets up the marker
   * sidecar when configured (a failure only disables markers) and installs the tap on the bus.
   */
  async open(components: RegisteredComponents, context: OpenContext): Promise<void> {
    const config = this.config;
    if (config === undefined || this.#backend === undefined) return;
    if (this.#session !== undefined) await this.seal(this.#clock.now());
    this.#signal = new HaltSignal();
    const signal = this.#signal;
    const clock = context.environment.clock;
    const startTsInit = this.#clock.now();
    const runId = buildRunId(startTsInit, (this.#options.runIdUuid ?? randomUUID)());
    let parentRunId = this.#recoveredParent;
    if (config.replayFromRunId !== undefined) {
      await validateReplaySource(this.#backend.provider, this.instanceId, config.replayFromRunId);
      parentRunId = config.replayFromRunId;
    }
    const manifest = buildRunManifest(config, this.instanceId, runId, parentRunId, startTsInit, components);
    const writer = await this.#startWriter(manifest, signal, clock);
    try {
      await submitRunStarted(writer, runStartedDraft(components, startTsInit), signal, config.runStartedTimeoutMs ?? DEFAULT_RUN_STARTED_TIMEOUT_MS, runId);
    } catch (error) {
      // The run stays Running on disk; the next boot's sweep seals it. A stuck backend must not
      // turn a failed open into a hang, so the abandon is given a bounded wait.
      const ended = await abandonOrTerminate(writer, (abandonError) =>
        this.#log('warn', `tapelog: abandoning run ${runId}: ${(abandonError as Error).message}`),
      );
      if (ended === 'terminated')
        this.#log('warn', `tapelog: the backend of run ${runId} did not answer within ${ABANDON_WAIT_MS} ms; its writer was terminated`);
      throw error;
    }
    const markers =
      config.dataMarkers === undefined
        ? undefined
        : await openMarkerSidecar({
            baseDir: config.baseDir,
            dataMarkers: config.dataMarkers,
            manifest,
            initialSubmitCount: writer.highWatermark,
            registryFactory: this.#options.markerRegistryFactory,
            log: this.#log,
          }).catch((error: unknown) => {
            this.#log('warn', `tapelog: marker setup failed; run ${runId} opens without markers: ${(error as Error).message}`);
            return undefined;
          });
    const registry = (this.#options.registryFactory ?? (() => new EncoderRegistry()))();
    const adapter = new BusCaptureAdapter(writer, registry, signal.callback, markers ? { submitCounter: markers.submitCounter } : {});
    const session = new EventStoreSession(manifest, writer, adapter, signal, markers);
    this.#session = session;
    this.#bus = context.bus;
    const log = this.#log;
    const logger = {
      warn: (message: string, details: Record<string, unknown>) => log('warn', `${message} ${describeDetails(details)}`),
      error: (message: string, details: Record<string, unknown>) => log('error', `${message} ${describeDetails(details)}`),
    };
    context.bus.setTap(createEventStoreTap({ adapter, clock, markers: markers?.observer, logger }));
    this.#log('info', `tapelog: opened run ${runId} of ${this.instanceId}${parentRunId ? ` (parent ${parentRunId})` : ''}`);
  }

  async #startWriter(manifest: RunManifest, signal: HaltSignal, clock: Clock): Promise<EventStoreWriter> {
    const config = this.config!;
    const backend = this.#backend!;
    const writerConfig = {
      ...(config.channelCapacity !== undefined ? { channelCapacity: config.channelCapacity } : {}),
      ...(config.maxBatchEntries !== undefined ? { maxBatchEntries: config.maxBatchEntries } : {}),
      ...(config.maxBatchLatencyMs !== undefined ? { maxBatchLatencyMs: config.maxBatchLatencyMs } : {}),
      ...(config.haltThresholdMs !== undefined ? { haltThresholdMs: config.haltThresholdMs } : {}),
    };
    const kind = this.#options.writerKind ?? (backend.module ? 'worker' : 'inline');
    if (kind === 'worker') {
      if (backend.module === undefined) {
        throw new TypeError('the worker writer needs a backend module spec; use writerKind "inline" for this backend');
      }
      return spawnWriter({ backend: backend.module, manifest, config: writerConfig, onHalt: signal.callback, clock });
    }
    const store = await backend.provider.openRun(manifest);
    return createInlineWriter({ store, config: writerConfig, onHalt: signal.callback, clock });
  }

  /**
   * Ends the open run: clears the tap, then appends RunEnded and seals Ended. A halted run is left
   * Running for the next boot's sweep. Never throws: a stopping kernel only gets log lines.
   */
  async seal(tsInit: bigint = this.#clock.now()): Promise<RunManifest | undefined> {
    const session = this.#session;
    if (session === undefined) return undefined;
    this.#session = undefined;
    this.#bus?.clearTap();
    this.#bus = undefined;
    if (session.isHalted) {
      this.#log(
        'warn',
        `tapelog: run ${session.runId} halted (${describeHaltReason(session.signal.reason!)}); it will be sealed by the recovery sweep on next boot`,
      );
      await session.abandon().catch((error: unknown) => this.#log('warn', `tapelog: stopping the writer of run ${session.runId}: ${(error as Error).message}`));
      return undefined;
    }
    try {
      const sealed = await session.close(tsInit);
      this.#log('info', `tapelog: sealed run ${session.runId} (${sealed?.highWatermark ?? 0} entries)`);
      return sealed;
    } catch (error) {
      this.#log('error', `tapelog: sealing run ${session.runId} failed: ${(error as Error).message}; it will be sealed as CrashedRecovered on next boot`);
      return undefined;
    }
  }

  /** Seals what is open (the last chance for callers that skip `seal`). */
  async dispose(): Promise<void> {
    await this.seal(this.#clock.now());
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  /** Records cache snapshots as anchors of the open run; undefined when no run is open. */
  snapshotAnchorer(): SnapshotAnchorer | undefined {
    return this.#session?.snapshotAnchorer();
  }

  /**
   * Restores `target` from the configured replay run, else the recovered parent: the anchored
   * snapshot (content hash checked), then the tail in seq order. Undefined when there is no source.
   */
  async restoreParentCache(target: RestoreTarget): Promise<RestoreReport | undefined> {
    const source = this.parentRunId;
    if (this.config === undefined || this.#backend === undefined || source === undefined) return undefined;
    const isolation = readerIsolation(this.#backend, this.#options);
    if (isolation !== undefined) await probeRestoreSourceIsolated(isolation, this.instanceId, source, (line) => this.#log('warn', line));
    const report = await restoreFromSealedRun(this.#backend.provider, this.instanceId, source, target);
    const kind = this.isReplayConfigured ? 'configured replay run' : 'parent run';
    this.#log(
      'info',
      `tapelog: restored cache from ${kind} ${source}: seq ${report.fromSeq}..${report.toSeq}, ${report.applied} applied, ${report.ignored} ignored`,
    );
    return report;
  }
}
