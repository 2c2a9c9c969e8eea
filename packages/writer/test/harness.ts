/** Builds a writer (worker or inline) over the test backend, and reads back what it committed. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  type Clock,
  decodeEntry,
  type EventStoreEntry,
  type IndexKey,
  newManifest,
  type RunManifest,
  SimulatedClock,
  type SnapshotAnchor,
} from '@tapelog/core';
import { createInlineWriter, type EventStoreWriter, type HaltReason, spawnWriter, type WriterConfig } from '../dist/index.js';
import { APPEND_CALLS, createProvider, GATE, MAX_IN_FLIGHT, type TestBackendOptions } from './fixtures/test-backend.mjs';

export const TEST_BACKEND_MODULE = new URL('./fixtures/test-backend.mjs', import.meta.url).href;

export interface HarnessOptions {
  config?: Partial<WriterConfig>;
  clock?: Clock;
  gateClosed?: boolean;
  failAppendWith?: TestBackendOptions['failAppendWith'];
  failAfterAppends?: number;
  failOnce?: boolean;
  rejectOnCallAtOnce?: number;
  /** Every append takes at least this long (a slow disk). */
  appendDelayMs?: number;
  /** The backend declares pipelinedAppends (default: not). */
  pipelinedAppends?: boolean;
}

export interface CommittedEntry {
  entry: EventStoreEntry;
  indexKeys: IndexKey[];
}

export interface WriterHarness {
  writer: EventStoreWriter;
  halts: HaltReason[];
  /**
   * Entries the writer may hold beyond channelCapacity: the worker's stage (four batches, at
   * least 1,024 entries, at most the capacity), and with a pipelining backend one more full batch
   * goes in flight beside the first.
   */
  stagingSlack: number;
  openGate(): void;
  appendCalls(): number;
  /** The most appendBatch calls that were ever in flight at once. */
  maxAppendsInFlight(): number;
  committed(): CommittedEntry[];
  latestAnchor(): SnapshotAnchor | undefined;
  /** Opens the gate, ends the writer if still running, removes the temporary directory. */
  dispose(): Promise<void>;
}

export type WriterKind = 'worker' | 'inline';

let runCounter = 0;

export async function createHarness(kind: WriterKind, options: HarnessOptions = {}): Promise<WriterHarness> {
  const control = new SharedArrayBuffer(16);
  const words = new Int32Array(control);
  Atomics.store(words, GATE, options.gateClosed === true ? 0 : 1);
  const mirrorDir = mkdtempSync(join(tmpdir(), 'tapelog-writer-test-'));
  const backendOptions: TestBackendOptions = { control, mirrorDir };
  if (options.failAppendWith !== undefined) backendOptions.failAppendWith = options.failAppendWith;
  if (options.failAfterAppends !== undefined) backendOptions.failAfterAppends = options.failAfterAppends;
  if (options.failOnce !== undefined) backendOptions.failOnce = options.failOnce;
  if (options.rejectOnCallAtOnce !== undefined) backendOptions.rejectOnCallAtOnce = options.rejectOnCallAtOnce;
  if (options.appendDelayMs !== undefined) backendOptions.appendDelayMs = options.appendDelayMs;
  if (options.pipelinedAppends !== undefined) backendOptions.pipelinedAppends = options.pipelinedAppends;
  const manifest: RunManifest = newManifest({ runId: `run-${++runCounter}`, instanceId: 'trader-001', startTsInit: 0n });
  const halts: HaltReason[] = [];
  const onHalt = (reason: HaltReason): void => {
    halts.push(reason);
  };
  const clock = options.clock ?? new SimulatedClock();
  const config = options.config ?? {};
  let writer: EventStoreWriter;
  if (kind === 'worker') {
    writer = await spawnWriter({ backend: { module: TEST_BACKEND_MODULE, options: backendOptions }, manifest, config, onHalt, clock });
  } else {
    const store = await createProvider(backendOptions).openRun(manifest);
    writer = await createInlineWriter({ store, config, onHalt, clock });
  }
  const openGate = (): void => {
    Atomics.store(words, GATE, 1);
    Atomics.notify(words, GATE);
  };
  return {
    writer,
    halts,
    stagingSlack: kind === 'worker' ? workerStage(config) + (options.pipelinedAppends === true ? (config.maxBatchEntries ?? 100) : 0) : 0,
    openGate,
    appendCalls: () => Atomics.load(words, APPEND_CALLS),
    maxAppendsInFlight: () => Atomics.load(words, MAX_IN_FLIGHT),
    committed: () => readCommitted(mirrorDir),
    latestAnchor: () => {
      try {
        return JSON.parse(readFileSync(join(mirrorDir, 'anchor.json'), 'utf8')) as SnapshotAnchor;
      } catch {
        return undefined;
      }
    },
    async dispose() {
      openGate();
      await writer.abandon().catch(() => {});
      rmSync(mirrorDir, { recursive: true, force: true });
    },
  };
}

function workerStage(config: Partial<WriterConfig>): number {
  const capacity = config.channelCapacity ?? 10_000;
  return Math.min(capacity, Math.max(1024, 4 * (config.maxBatchEntries ?? 100)));
}

function readCommitted(mirrorDir: string): CommittedEntry[] {
  let text: string;
  try {
    text = readFileSync(join(mirrorDir, 'entries.jsonl'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const row = JSON.parse(line) as { bytes: string; indexKeys: IndexKey[] };
      return { entry: decodeEntry(Buffer.from(row.bytes, 'base64')), indexKeys: row.indexKeys };
    });
}

/** Polls `condition` (yielding between checks) until it holds or `timeoutMs` passes (generous: a loaded machine starts worker threads slowly). */
export async function eventually(condition: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

/**
 * Runs `script` as an ES module in a child Node process started in the writer package, and
 * returns its stdout and wall time. Rejects when it exits non-zero or outlives 20 s.
 */
export async function runChildModule(script: string): Promise<{ stdout: string; milliseconds: number }> {
  const started = performance.now();
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: new URL('..', import.meta.url),
    timeout: CHILD_TIMEOUT_MS,
  });
  return { stdout, milliseconds: performance.now() - started };
}

export const CHILD_TIMEOUT_MS = 20_000;
