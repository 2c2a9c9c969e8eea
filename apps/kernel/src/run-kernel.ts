/**
 * One kernel session with its event store: boot (recover crashed predecessors), restore the
 * cache from the parent run (snapshot + tail), open a run that taps the bus, trade for the
 * requested time with periodic anchored cache snapshots, seal, and verify the sealed run.
 */
import type { BusTap, TapHost } from '@tapelog/capture';
import { type Clock, RealtimeClock, SimulatedClock, type SnapshotAnchor } from '@tapelog/core';
import { type BackendOpener, backendForStore, type EventStoreConfig, EventStoreLifecycle, type LifecycleLogger, levelBackend } from '@tapelog/lifecycle';
import { formatFinding, type RecoveredRun, type RestoreReport, Verifier } from '@tapelog/recovery';
import type { CommitStatistics } from '@tapelog/writer';
import { BlobDirectory } from './blob-directory.js';
import { KernelCache } from './cache.js';
import { CaptureCounter } from './capture-counter.js';
import { selectInstruments } from './domain/instruments.js';
import { DurabilityPacer } from './durability-pacer.js';
import { assertInstrumentsCovered } from './instrument-coverage.js';
import { DEFAULT_SIMULATION_START, TradingKernel } from './kernel.js';
import { InjectedFault, type KernelPhase, KernelRunError } from './kernel-run-error.js';
import { buildKernelMarkerRegistry, KERNEL_MARKER_CLASSES } from './market-data-markers.js';
import type { MessageBus } from './message-bus.js';
import { buildKernelRegistry } from './registry.js';
import { kernelRunIdentity } from './run-identity.js';

const SECOND = 1_000_000_000n;
/**
 * The writer's backpressure halt threshold in simulated time. The kernel waits for durability
 * there (see DurabilityPacer), so a submit that finds the queue full is only a slow fsync under
 * backlog, not a market the store cannot follow: it may wait this long before the run halts. A
 * real-time run keeps the writer's default (250 ms).
 */
export const SIMULATED_HALT_THRESHOLD_MS = 30_000;

export interface RunKernelOptions {
  seed?: bigint;
  instruments?: number;
  /** Kernel time to trade for, nanoseconds (simulated, or wall time with `realtime`). Default 60 s. */
  duration?: bigint;
  baseDir?: string;
  /** A `postgres://` URL (runs live in PostgreSQL; snapshot blobs and markers stay under `baseDir`) or `lmdb:<dir>` (LMDB runs under `<dir>`). */
  store?: string;
  instanceId?: string;
  markers?: boolean;
  /** Restore from this sealed run (and link it as parent) instead of the recovered parent. */
  replayFromRunId?: string;
  /** Dies abruptly (see `crash`) right after the tap captured this many entries (RunStarted included). */
  crashAfter?: number;
  /** How to die for `crashAfter`; default SIGKILL of this process. */
  crash?: () => void;
  realtime?: boolean;
  /** `worker` (default) or `inline` (same thread). */
  writer?: 'worker' | 'inline';
  snapshotInterval?: bigint;
  /** Called at every loop yield with the live figures. */
  onProgress?: (progress: RunProgress) => void;
  /** Sees the stopped kernel just before the run is sealed (tests compare its cache with a restore). */
  beforeSeal?: (kernel: TradingKernel) => void;
  /** Verify the sealed run (default true). */
  verify?: boolean;
  logger?: LifecycleLogger;
  /** The event store's backend; default LevelDB under `baseDir` (tests inject failing backends). */
  openBackend?: BackendOpener;
  /** Where simulated time starts when no earlier run is in the store (replay-check re-runs a recorded start). */
  simulationStart?: bigint;
  /** Test hook: fail at the end of this phase, as a bug or a dead dependency would. */
  failAt?: KernelPhase;
}

export interface RunProgress {
  simulatedNanoseconds: bigint;
  messages: number;
  durableEntries: number;
  orders: number;
  fills: number;
  /** Minor units. */
  pnl: bigint;
}

export interface VerifySummary {
  clean: boolean;
  findings: string[];
  chainHead?: string;
  entriesScanned: number;
}

export interface RunSummary {
  runId: string;
  parentRunId?: string;
  /** The sealed status, or `Running` when the run halted and was left for the next boot. */
  status: string;
  entries: number;
  chainHead?: string;
  recovered: readonly RecoveredRun[];
  restore?: { sourceRunId: string; fromSeq: number; toSeq: number; applied: number; ignored: number; anchor?: SnapshotAnchor };
  messages: number;
  orders: number;
  openOrders: number;
  fills: number;
  denied: number;
  snapshots: number;
  pnl: bigint;
  simulatedNanoseconds: bigint;
  wallMilliseconds: number;
  messagesPerSecond: number;
  entriesPerSecond: number;
  haltReason?: string;
  /** Wall time the kernel waited for the store to catch up (simulated time only), and how often. */
  storeWaitMilliseconds: number;
  storeWaits: number;
  /** The writer's commits (RunStarted and RunEnded included), the largest, and commit latency p50/p99 in ms. */
  commits: number;
  largestBatch: number;
  commitLatencyP50Ms: number;
  commitLatencyP99Ms: number;
  verify?: VerifySummary;
}

function commitFigures(statistics: CommitStatistics | undefined): Pick<RunSummary, 'commits' | 'largestBatch' | 'commitLatencyP50Ms' | 'commitLatencyP99Ms'> {
  const round = (milliseconds: number) => Math.round(milliseconds * 100) / 100;
  return {
    commits: statistics?.commits ?? 0,
    largestBatch: statistics?.largestBatch ?? 0,
    commitLatencyP50Ms: round(statistics?.latencyP50Ms ?? 0),
    commitLatencyP99Ms: round(statistics?.latencyP99Ms ?? 0),
  };
}

/** The bus as the lifecycle sees it, with a check after every tapped dispatch (for `crashAfter`). */
function watchedTapHost(bus: MessageBus, afterDispatch: (message: unknown) => void): TapHost {
  return {
    setTap(tap: BusTap) {
      bus.setTap({
        onPublish: (topic, message) => {
          tap.onPublish(topic, message);
          afterDispatch(message);
        },
        onSend: (endpoint, message) => {
          tap.onSend(endpoint, message);
          afterDispatch(message);
        },
        onResponse: (correlationId, message) => {
          tap.onResponse(correlationId, message);
          afterDispatch(message);
        },
        onTimer: (event) => {
          tap.onTimer(event);
          afterDispatch(event);
        },
      });
    },
    clearTap: () => bus.clearTap(),
  };
}

const quietLogger: LifecycleLogger = (level, message) => {
  if (level !== 'info') process.stderr.write(`${message}\n`);
};

/** Where a run is, so a failure can name its phase and seal what is open. */
interface PhaseState {
  phase: KernelPhase;
  lifecycle?: EventStoreLifecycle;
  clock?: Clock;
  /** Set from the moment a run may be open until it is sealed. */
  runOpen: boolean;
  runId?: string;
  sealed?: { status: string; highWatermark: number };
}

/**
 * Runs one kernel session. Any failure ends as a KernelRunError naming the phase and the run;
 * a run that was open is sealed first (RunEnded, status Ended: everything captured up to the
 * failure is durable and verifiable), so no writer or timer is left keeping the process alive.
 */
export async function runKernel(options: RunKernelOptions = {}): Promise<RunSummary> {
  const state: PhaseState = { phase: 'boot', runOpen: false };
  try {
    return await runKernelPhases(options, state);
  } catch (error) {
    throw await endAfterFailure(state, error);
  }
}

async function endAfterFailure(state: PhaseState, error: unknown): Promise<KernelRunError> {
  const { lifecycle, phase } = state;
  const runId = state.runId ?? lifecycle?.runId;
  if (state.sealed !== undefined) return new KernelRunError(phase, runId, `run ${runId} was sealed ${state.sealed.status} before the failure`, error);
  if (!state.runOpen || lifecycle === undefined || runId === undefined) return new KernelRunError(phase, undefined, 'no run was opened', error);
  state.runOpen = false;
  const sealed = await lifecycle.seal(state.clock!.now());
  const disposition =
    sealed === undefined
      ? `run ${runId} left Running: it could not be sealed now, the next boot's recovery sweep seals it`
      : `run ${runId} sealed ${sealed.status} with ${sealed.highWatermark} entries`;
  return new KernelRunError(phase, runId, disposition, error);
}

async function runKernelPhases(options: RunKernelOptions, state: PhaseState): Promise<RunSummary> {
  const phaseDone = (phase: KernelPhase) => {
    if (options.failAt === phase) throw new InjectedFault(phase);
  };
  const wallStart = performance.now();
  const seed = options.seed ?? 1n;
  const baseDir = options.baseDir ?? './event_store';
  const instanceId = options.instanceId ?? 'kernel-001';
  const duration = options.duration ?? 60n * SECOND;
  const clock: Clock = options.realtime ? new RealtimeClock() : new SimulatedClock(options.simulationStart ?? DEFAULT_SIMULATION_START);
  state.clock = clock;
  const config: EventStoreConfig = {
    baseDir,
    ...(options.realtime ? {} : { haltThresholdMs: SIMULATED_HALT_THRESHOLD_MS }),
    identity: kernelRunIdentity({
      seed,
      instruments: options.instruments ?? 4,
      duration,
      realtime: options.realtime === true,
      writer: options.writer ?? (options.openBackend === undefined ? 'worker' : 'inline'),
      markers: options.markers === true,
      snapshotInterval: options.snapshotInterval,
    }),
    ...(options.replayFromRunId === undefined ? {} : { replayFromRunId: options.replayFromRunId }),
    ...(options.markers ? { dataMarkers: { classes: KERNEL_MARKER_CLASSES } } : {}),
  };
  // Where runs live; tests may inject another backend for the lifecycle, verification reads the store.
  const storeBackend = options.store === undefined ? levelBackend : backendForStore(options.store);
  const openBackend = options.openBackend ?? storeBackend;
  const lifecycle = await EventStoreLifecycle.boot(config, instanceId, clock, {
    registryFactory: buildKernelRegistry,
    writerKind: options.writer ?? (options.openBackend === undefined ? 'worker' : 'inline'),
    openBackend,
    markerRegistryFactory: buildKernelMarkerRegistry,
    logger: options.logger ?? quietLogger,
  });
  state.lifecycle = lifecycle;
  phaseDone('boot');
  state.phase = 'restore';

  // Restore before open, as the upstream kernel does: a failed restore opens no run.
  const cache = new KernelCache();
  const blobs = new BlobDirectory(baseDir, instanceId);
  const report: RestoreReport | undefined = await lifecycle.restoreParentCache({
    loadSnapshot: (anchor) => blobs.read(anchor.blobRef),
    applySnapshot: (blob) => cache.restoreSnapshot(blob),
    applyEntry: (entry) => cache.applyEntry(entry),
  });
  const instruments = options.instruments ?? 4;
  if (report !== undefined) assertInstrumentsCovered(cache, selectInstruments(instruments), lifecycle.parentRunId ?? report.manifest.runId);
  if (clock instanceof SimulatedClock) {
    // Simulated time carries on after the parent, or after the newest run in the store when
    // there is none, so runs never share a start and sort by start as they happened.
    let latest: bigint | undefined;
    if (report !== undefined) {
      const parentEnd = report.manifest.endTsInit ?? report.manifest.startTsInit;
      latest = parentEnd > cache.lastTsInit ? parentEnd : cache.lastTsInit;
    } else {
      const provider = (await openBackend(config)).provider;
      for (const run of await provider.listRuns(instanceId)) {
        const end = run.endTsInit ?? run.startTsInit;
        if (latest === undefined || end > latest) latest = end;
      }
    }
    if (latest !== undefined && latest + SECOND > clock.now()) clock.set(latest + SECOND);
  }

  phaseDone('restore');
  state.phase = 'open';
  let runId = '';
  const pendingAnchors: Array<Promise<void>> = [];
  const anchorFailures: string[] = [];
  /** Snapshot blobs are stored one after another, so their anchors are enqueued in snapshot order. */
  let previousBlobStored: Promise<void> = Promise.resolve();
  const kernel = new TradingKernel({
    seed,
    instruments,
    clock,
    cache,
    ...(options.snapshotInterval === undefined ? {} : { snapshotInterval: options.snapshotInterval }),
    onSnapshot: (blob, ordinal) => {
      const anchorer = lifecycle.snapshotAnchorer();
      const writer = lifecycle.writer;
      if (anchorer === undefined || writer === undefined || lifecycle.isHalted) return;
      const blobRef = `kernel-cache/${runId}/${String(ordinal).padStart(6, '0')}`;
      // The snapshot covers exactly the entries captured before it, whenever its anchor is
      // enqueued. The blob is written and synced off the bus thread (an fsync there stalled
      // trading for milliseconds per snapshot, far more on a disk shared with fsyncing
      // neighbours), and the anchor naming it is enqueued only once it is durable.
      const coversSeq = writer.acceptedSeq;
      const stored = previousBlobStored.then(() => blobs.write(blobRef, blob)).then(() => anchorer({ blobRef, blob, coversSeq }));
      previousBlobStored = stored.then(
        () => undefined,
        () => undefined,
      );
      pendingAnchors.push(
        stored.then(
          () => undefined,
          (error: unknown) => {
            anchorFailures.push((error as Error).message);
          },
        ),
      );
    },
  });

  const crashAfter = options.crashAfter;
  const crash = options.crash ?? (() => process.kill(process.pid, 'SIGKILL'));
  // RunStarted is the first entry and does not pass the tap.
  const captured = new CaptureCounter(buildKernelRegistry(), 1);
  let crashed = false;
  const host =
    crashAfter === undefined
      ? kernel.bus
      : watchedTapHost(kernel.bus, (message) => {
          if (!crashed && captured.observe(message) && captured.count >= crashAfter) {
            crashed = true;
            crash();
          }
        });
  state.runOpen = true;
  await lifecycle.open(kernel.components(), { bus: host, environment: { clock } });
  runId = lifecycle.runId ?? '';
  state.runId = runId;
  // Kept past the seal, which ends the session: its commit statistics go into the summary.
  const writer = lifecycle.writer;
  phaseDone('open');
  state.phase = 'trading';
  const parentRunId = lifecycle.manifest?.parentRunId;

  const progress = (): RunProgress => {
    const statistics = kernel.statistics();
    return {
      simulatedNanoseconds: statistics.simulatedNanoseconds,
      messages: statistics.messages,
      durableEntries: lifecycle.highWatermark,
      orders: statistics.orders,
      fills: statistics.fills,
      pnl: statistics.pnl,
    };
  };
  // Simulated time waits for a slow disk; the wall clock cannot, so a real-time run keeps the halt.
  const pacer = options.realtime ? undefined : new DurabilityPacer();
  kernel.start();
  await kernel.runFor(duration, {
    onProgress: async () => {
      options.onProgress?.(progress());
      await pacer?.pace(lifecycle.writer);
    },
    // Fail-stop: once the event store halts nothing more is recorded, so the kernel trades no further.
    shouldStop: () => {
      phaseDone('trading');
      return lifecycle.isHalted;
    },
  });
  // A halted kernel does not even cancel its orders: every further state change would go
  // unrecorded. The next boot recovers the run and reconciles with the venue.
  state.phase = 'stop';
  if (!lifecycle.isHalted) await kernel.stop();
  options.onProgress?.(progress());
  options.beforeSeal?.(kernel);
  const statistics = kernel.statistics();
  await Promise.all(pendingAnchors);
  for (const failure of anchorFailures) console.error(`kernel: snapshot anchor failed: ${failure}`);
  const haltReason = lifecycle.checkHalt()?.message;
  // What is durable: after a halt the run is not sealed and seal() returns nothing.
  const durableBeforeSeal = lifecycle.highWatermark;
  phaseDone('stop');
  state.phase = 'seal';
  const sealed = await lifecycle.seal(clock.now());
  state.runOpen = false;
  if (sealed !== undefined) state.sealed = sealed;
  phaseDone('seal');
  state.phase = 'verify';
  const wallMilliseconds = performance.now() - wallStart;
  const entries = sealed?.highWatermark ?? durableBeforeSeal;

  let verify: VerifySummary | undefined;
  if (sealed !== undefined && options.verify !== false) {
    const verifier = await Verifier.openSealed((await storeBackend(config)).provider, instanceId, runId);
    try {
      const verified = await verifier.verify();
      verify = { clean: verified.findings.length === 0, findings: verified.findings.map(formatFinding), entriesScanned: verified.entriesScanned };
      if (verified.chainHead !== undefined) verify.chainHead = verified.chainHead;
    } finally {
      await verifier.close();
    }
  }
  phaseDone('verify');

  const seconds = wallMilliseconds / 1000;
  const summary: RunSummary = {
    runId,
    status: sealed?.status ?? 'Running',
    entries,
    recovered: lifecycle.recovered,
    messages: statistics.messages,
    orders: statistics.orders,
    openOrders: statistics.openOrders,
    fills: statistics.fills,
    denied: statistics.denied,
    snapshots: statistics.snapshots,
    pnl: statistics.pnl,
    simulatedNanoseconds: statistics.simulatedNanoseconds,
    wallMilliseconds,
    messagesPerSecond: Math.round(statistics.messages / seconds),
    entriesPerSecond: Math.round(entries / seconds),
    storeWaitMilliseconds: Math.round(pacer?.waitedMilliseconds ?? 0),
    storeWaits: pacer?.waits ?? 0,
    ...commitFigures(writer?.commitStatistics()),
  };
  if (parentRunId !== undefined) summary.parentRunId = parentRunId;
  if (sealed?.chainHead !== undefined) summary.chainHead = sealed.chainHead;
  if (haltReason !== undefined) summary.haltReason = haltReason;
  if (verify !== undefined) summary.verify = verify;
  if (report !== undefined && lifecycle.parentRunId !== undefined) {
    summary.restore = { sourceRunId: lifecycle.parentRunId, fromSeq: report.fromSeq, toSeq: report.toSeq, applied: report.applied, ignored: report.ignored };
    if (report.anchor !== undefined) summary.restore.anchor = report.anchor;
  }
  return summary;
}
