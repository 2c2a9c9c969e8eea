/** What the CLI prints: the live progress line and the end-of-run summary, as text or JSON. */
import { formatMinorUnits } from './money.js';
import type { RunProgress, RunSummary } from './run-kernel.js';

const seconds = (nanoseconds: bigint) => formatMinorUnits(nanoseconds / 1_000_000n, 3);
const dollars = (cents: bigint) => `${cents < 0n ? '' : '+'}${formatMinorUnits(cents, 2)} USD`;

export function formatProgress(progress: RunProgress): string {
  return `t=${seconds(progress.simulatedNanoseconds)}s  messages=${progress.messages}  durable=${progress.durableEntries}  orders=${progress.orders}  fills=${progress.fills}  pnl=${dollars(progress.pnl)}`;
}

export function formatSummary(summary: RunSummary): string {
  const lines = [`run          ${summary.runId}`, `parent       ${summary.parentRunId ?? '(none)'}`];
  for (const run of summary.recovered) lines.push(`recovered    ${run.runId} → ${run.status}`);
  if (summary.restore !== undefined) {
    const anchor = summary.restore.anchor === undefined ? 'no snapshot' : `snapshot @${summary.restore.anchor.highWatermark}`;
    lines.push(
      `restored     from ${summary.restore.sourceRunId}: ${anchor}, tail seq ${summary.restore.fromSeq}..${summary.restore.toSeq} (${summary.restore.applied} applied, ${summary.restore.ignored} ignored)`,
    );
  }
  lines.push(
    `status       ${summary.status}${summary.haltReason === undefined ? '' : ` (${summary.haltReason})`}`,
    `entries      ${summary.entries}`,
    `chain head   ${summary.chainHead ?? '(none)'}`,
    `simulated    ${seconds(summary.simulatedNanoseconds)}s in ${(summary.wallMilliseconds / 1000).toFixed(2)}s wall`,
    `throughput   ${summary.messagesPerSecond} messages/s, ${summary.entriesPerSecond} entries/s`,
    `store wait   ${summary.storeWaitMilliseconds} ms in ${summary.storeWaits} wait(s) for durability`,
    `commits      ${summary.commits}, largest ${summary.largestBatch} entries, latency p50 ${summary.commitLatencyP50Ms} ms, p99 ${summary.commitLatencyP99Ms} ms`,
    `trading      ${summary.orders} orders (${summary.openOrders} open), ${summary.fills} fills, ${summary.denied} denied, ${summary.snapshots} snapshots`,
    `pnl          ${dollars(summary.pnl)}`,
  );
  if (summary.verify === undefined) lines.push('verify       skipped (run not sealed)');
  else if (summary.verify.clean) lines.push(`verify       clean (${summary.verify.entriesScanned} entries, chain_head=${summary.verify.chainHead ?? '?'})`);
  else lines.push(`verify       ${summary.verify.findings.length} finding(s)`, ...summary.verify.findings.map((finding) => `  ${finding}`));
  return lines.join('\n');
}

/** The summary (or any report object) as JSON, bigints as decimal strings. */
export function summaryToJson(summary: RunSummary | object): string {
  return JSON.stringify(summary, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2);
}
