/**
 * `kernel replay-check <runPath>`: re-runs a sealed simulated run from its manifest (seed, config,
 * start time) in a scratch store with the current build, and reports whether the new chain head
 * equals the recorded one, or the first seq whose entry differs (a damaged recorded entry counts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProvider } from '@tapelog/backend-level';
import { parseRunPath, storeOfRun } from '@tapelog/cli';
import { type EventStore, type EventStoreEntry, type RunManifest, toHex } from '@tapelog/core';
import { backendForStore } from '@tapelog/lifecycle';
import { type KernelRunConfig, kernelRunIdentity } from './run-identity.js';
import { runKernel } from './run-kernel.js';

export interface ReplayCheckResult {
  runId: string;
  reproduced: boolean;
  recordedChainHead: string | undefined;
  rerunChainHead: string | undefined;
  recordedEntries: number;
  rerunEntries: number;
  /** The first seq whose entry differs (or is missing, or damaged in the recorded run). */
  firstDifferingSeq?: number;
  /** Set when the recorded build differs from the current one: a difference may be the code's. */
  warning?: string;
}

const CONFIG_FLAG = 'kernel-config=';

/** The recorded kernel configuration, or an error saying why the run cannot be re-run. */
export function recordedConfig(manifest: RunManifest): KernelRunConfig {
  const flag = manifest.featureFlags.find((feature) => feature.startsWith(CONFIG_FLAG));
  if (flag === undefined) throw new Error(`run ${manifest.runId} records no kernel configuration (recorded by an older kernel); it cannot be re-run`);
  const fields = JSON.parse(flag.slice(CONFIG_FLAG.length)) as Record<string, unknown>;
  if (fields.realtime === true) throw new Error(`run ${manifest.runId} ran on the wall clock; only simulated runs can be re-run`);
  if (manifest.parentRunId !== undefined)
    throw new Error(`run ${manifest.runId} continued from run ${manifest.parentRunId}; replay-check re-runs runs without a parent`);
  return {
    seed: BigInt(fields.seed as string),
    instruments: fields.instruments as number,
    duration: BigInt(fields.duration as string),
    realtime: false,
    writer: fields.writer as string,
    markers: fields.markers === true,
    snapshotInterval: fields.snapshotInterval === null ? undefined : BigInt(fields.snapshotInterval as string),
  };
}

async function entryAt(store: EventStore, seq: number): Promise<EventStoreEntry | undefined | 'damaged'> {
  try {
    return await store.scanSeq(seq);
  } catch {
    return 'damaged';
  }
}

async function firstDifference(recorded: EventStore, rerun: EventStore): Promise<number | undefined> {
  const last = Math.max(await recorded.highWatermark(), await rerun.highWatermark());
  for (let seq = 1; seq <= last; seq++) {
    const [left, right] = [await entryAt(recorded, seq), await entryAt(rerun, seq)];
    if (left === 'damaged' || right === 'damaged' || left === undefined || right === undefined) return seq;
    if (toHex(left.entryHash) !== toHex(right.entryHash)) return seq;
  }
  return undefined;
}

export async function replayCheck(runPath: string): Promise<ReplayCheckResult> {
  const coordinates = parseRunPath(runPath);
  // The recorded run is read by its own backend (LevelDB, or LMDB for a `.lmdb` run); the re-run goes to a scratch LevelDB.
  const provider = (await backendForStore(storeOfRun(coordinates))({ baseDir: coordinates.baseDir })).provider;
  const recorded = await provider.openSealed(coordinates.instanceId, coordinates.runId);
  const scratch = mkdtempSync(join(tmpdir(), 'kernel-replay-check-'));
  try {
    const manifest = await recorded.manifest();
    const config = recordedConfig(manifest);
    const summary = await runKernel({
      baseDir: scratch,
      instanceId: coordinates.instanceId,
      seed: config.seed,
      instruments: config.instruments,
      duration: config.duration,
      writer: config.writer === 'inline' ? 'inline' : 'worker',
      markers: config.markers,
      ...(config.snapshotInterval === undefined ? {} : { snapshotInterval: config.snapshotInterval }),
      simulationStart: manifest.startTsInit,
      verify: false,
    });
    const rerun = await createProvider({ baseDir: scratch }).openSealed(coordinates.instanceId, summary.runId);
    try {
      const firstDifferingSeq = await firstDifference(recorded, rerun);
      const result: ReplayCheckResult = {
        runId: manifest.runId,
        reproduced: firstDifferingSeq === undefined && summary.chainHead === manifest.chainHead,
        recordedChainHead: manifest.chainHead,
        rerunChainHead: summary.chainHead,
        recordedEntries: manifest.highWatermark,
        rerunEntries: summary.entries,
      };
      if (firstDifferingSeq !== undefined) result.firstDifferingSeq = firstDifferingSeq;
      const current = kernelRunIdentity(config).binaryHash;
      if (manifest.binaryHash !== current) {
        result.warning = `run ${manifest.runId} was recorded by another build (binary_hash ${manifest.binaryHash || '-'}, current ${current}): a difference may come from the code`;
      }
      return result;
    } finally {
      await rerun.close();
    }
  } finally {
    await recorded.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function formatReplayCheck(result: ReplayCheckResult): string {
  const head = result.reproduced
    ? `reproduced run_id=${result.runId} entries=${result.recordedEntries} chain_head=${result.recordedChainHead}`
    : `differs run_id=${result.runId} first_differing_seq=${result.firstDifferingSeq ?? '-'} recorded_entries=${result.recordedEntries} rerun_entries=${result.rerunEntries} recorded_chain_head=${result.recordedChainHead ?? '-'} rerun_chain_head=${result.rerunChainHead ?? '-'}`;
  return result.warning === undefined ? head : `${head}\nwarning: ${result.warning}`;
}
