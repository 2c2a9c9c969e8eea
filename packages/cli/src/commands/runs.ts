/**
 * `tapelog runs <baseDir> <instanceId> [--json]`: every readable run of an instance, oldest
 * first, then the runs never fully created (status `Incomplete`; the recovery sweep sets them aside,
 * this command only lists them). A `Running` run shows its durable high-watermark, recomputed
 * from a copy of its files, not the 0 its manifest holds until the seal.
 */
import type { RunManifest } from '@tapelog/core';
import { parseArguments, UsageError } from '../command-line.js';
import { EXIT_OK } from '../exit-codes.js';
import { toJson } from '../json-output.js';
import { displayStore, storeProvider } from '../open-run.js';
import { durableHighWatermarkIsolated } from '../running-high-watermark.js';

/** Running runs with the durable high-watermark in place of the stored one; a run that cannot be read keeps it, with a warning. */
async function withDurableHighWatermarks(store: string, instanceId: string, manifests: RunManifest[]): Promise<RunManifest[]> {
  const result: RunManifest[] = [];
  for (const manifest of manifests) {
    if (manifest.status !== 'Running') {
      result.push(manifest);
      continue;
    }
    try {
      const highWatermark = await durableHighWatermarkIsolated(store, instanceId, manifest.runId);
      result.push(highWatermark === undefined ? manifest : { ...manifest, highWatermark });
    } catch (error) {
      process.stderr.write(
        `warning: the durable high-watermark of Running run ${manifest.runId} could not be read: ${(error as Error)?.message ?? String(error)}\n`,
      );
      result.push(manifest);
    }
  }
  return result;
}

function runLine(manifest: RunManifest): string {
  return (
    `${manifest.runId} status=${manifest.status} start_ts_init=${manifest.startTsInit} end_ts_init=${manifest.endTsInit ?? '-'} ` +
    `high_watermark=${manifest.highWatermark} parent_run_id=${manifest.parentRunId ?? '-'} chain_head=${manifest.chainHead ?? '-'} ` +
    `schema_version=${manifest.schemaVersion} binary_hash=${manifest.binaryHash || '-'} config_hash=${manifest.configHash || '-'}`
  );
}

export async function runsCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseArguments(argv, [], ['json']);
  if (parsed.positionals.length !== 2) throw new UsageError('runs takes a base directory and an instance id');
  const [baseDir, instanceId] = parsed.positionals as [string, string];
  const provider = await storeProvider(baseDir);
  const manifests = await withDurableHighWatermarks(baseDir, instanceId, await provider.listRuns(instanceId));
  // Runs never fully created are listed as such, whether the recovery sweep has set them aside yet or
  // not; only LevelDB directories can hold them (a PostgreSQL run is created in one transaction).
  const listIncomplete = (provider as { listIncompleteRuns?: (instance: string) => Promise<Array<{ runId: string; location: string }>> }).listIncompleteRuns;
  const incomplete = listIncomplete === undefined ? [] : await listIncomplete.call(provider, instanceId);
  if (parsed.flags.has('json')) {
    // Every manifest field, with optional ones present as null so scripts can rely on the keys.
    const runs = manifests.map((manifest) => ({
      ...manifest,
      parentRunId: manifest.parentRunId ?? null,
      endTsInit: manifest.endTsInit ?? null,
      chainHead: manifest.chainHead ?? null,
      seed: manifest.seed ?? null,
    }));
    const setAside = incomplete.map(({ runId, location }) => ({ runId, status: 'Incomplete', location }));
    process.stdout.write(`${toJson([...runs, ...setAside])}\n`);
  } else {
    for (const manifest of manifests) process.stdout.write(`${runLine(manifest)}\n`);
    for (const { runId, location } of incomplete)
      process.stdout.write(`${runId} status=Incomplete location=${location} (never fully created; kept for an operator)\n`);
    if (manifests.length === 0 && incomplete.length === 0) process.stderr.write(`no runs for instance ${instanceId} under ${displayStore(baseDir)}\n`);
  }
  return EXIT_OK;
}
