/**
 * `tapelog retention <baseDir> <instanceId> [--mode full|bounded:N|snapshot-anchored] [--json]`:
 * which sealed runs a retention mode would reclaim. It only plans: nothing is deleted.
 */
import { planProviderRetention, type RetentionMode, type RetentionRun, type SnapshotAnchorStatus } from '@tapelog/recovery';
import { parseArguments, UsageError } from '../command-line.js';
import { EXIT_OK } from '../exit-codes.js';
import { toJson } from '../json-output.js';
import { storeProvider } from '../open-run.js';

export function parseRetentionMode(text: string): RetentionMode {
  if (text === 'full') return { kind: 'Full' };
  if (text === 'snapshot-anchored') return { kind: 'SnapshotAnchored' };
  const bounded = /^bounded:(\d+)$/.exec(text);
  if (bounded !== null && Number.isSafeInteger(Number(bounded[1]))) return { kind: 'Bounded', keepLast: Number(bounded[1]) };
  throw new UsageError(`unknown retention mode ${JSON.stringify(text)}: use full, bounded:<keepLast> or snapshot-anchored`);
}

function anchorText(status: SnapshotAnchorStatus): string {
  if (status.kind === 'Valid') return `anchor=valid anchor_high_watermark=${status.anchor.highWatermark}`;
  if (status.kind === 'Missing') return 'anchor=missing';
  return `anchor=invalid anchor_reason="${status.reason}"`;
}

export async function retentionCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseArguments(argv, ['mode'], ['json']);
  if (parsed.positionals.length !== 2) throw new UsageError('retention takes a base directory and an instance id');
  const [baseDir, instanceId] = parsed.positionals as [string, string];
  const mode = parseRetentionMode(parsed.options.get('mode') ?? 'full');
  const plan = await planProviderRetention(await storeProvider(baseDir), instanceId, mode);
  const reclaim = new Set<RetentionRun>(plan.reclaimCandidates);
  if (parsed.flags.has('json')) {
    const describe = (run: RetentionRun) => ({
      runId: run.manifest.runId,
      status: run.manifest.status,
      location: run.location,
      snapshotAnchor: run.snapshotAnchor,
    });
    process.stdout.write(
      `${toJson({ mode, sealedRuns: plan.sealedRuns.map(describe), reclaimCandidates: plan.reclaimCandidates.map(describe), deleted: [] })}\n`,
    );
    return EXIT_OK;
  }
  for (const run of plan.sealedRuns) {
    process.stdout.write(
      `${reclaim.has(run) ? 'reclaim' : 'keep'} ${run.manifest.runId} status=${run.manifest.status} ${anchorText(run.snapshotAnchor)} path=${run.location}\n`,
    );
  }
  process.stdout.write(`sealed_runs=${plan.sealedRuns.length} reclaim_candidates=${plan.reclaimCandidates.length} deleted=0 (planning only)\n`);
  return EXIT_OK;
}
