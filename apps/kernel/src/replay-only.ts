/**
 * `kernel run --replay-from <run> --replay-only` (upstream's `load_state` without trading):
 * restores the cache from a sealed run (anchored snapshot, then the tail) and reports the state,
 * without booting the event store, starting engines, clients or strategies, or recording anything.
 */
import { createProvider } from '@tapelog/backend-level';
import { type RestoreReport, restoreFromSealedRun } from '@tapelog/recovery';
import { BlobDirectory } from './blob-directory.js';
import { type AccountRecord, KernelCache, type OrderRecord, type PositionRecord } from './cache.js';
import { ACCOUNT_ID } from './domain/instruments.js';

export interface RestoredState {
  sourceRunId: string;
  fromSeq: number;
  toSeq: number;
  applied: number;
  ignored: number;
  snapshotHighWatermark?: number;
  orders: OrderRecord[];
  openOrders: string[];
  positions: PositionRecord[];
  accounts: AccountRecord[];
}

const byId =
  <T>(key: (item: T) => string) =>
  (left: T, right: T) =>
    key(left).localeCompare(key(right));

/** The state a restore from `runId` yields; INVALID_REPLAY_SOURCE when the run is missing, Running or Quarantined. */
export async function replayOnly(baseDir: string, instanceId: string, runId: string): Promise<RestoredState> {
  const cache = new KernelCache();
  const blobs = new BlobDirectory(baseDir, instanceId);
  const report: RestoreReport = await restoreFromSealedRun(createProvider({ baseDir }), instanceId, runId, {
    loadSnapshot: (anchor) => blobs.read(anchor.blobRef),
    applySnapshot: (blob) => cache.restoreSnapshot(blob),
    applyEntry: (entry) => cache.applyEntry(entry),
  });
  const account = cache.account(ACCOUNT_ID);
  const state: RestoredState = {
    sourceRunId: runId,
    fromSeq: report.fromSeq,
    toSeq: report.toSeq,
    applied: report.applied,
    ignored: report.ignored,
    orders: [...cache.orders()].sort(byId((order) => order.clientOrderId)),
    openOrders: [...cache.openOrders()].map((order) => order.clientOrderId).sort(),
    positions: [...cache.positions()].sort(byId((position) => position.positionId)),
    accounts: account === undefined ? [] : [account],
  };
  if (report.anchor !== undefined) state.snapshotHighWatermark = report.anchor.highWatermark;
  return state;
}

export function formatRestoredState(state: RestoredState): string {
  const lines = [
    `replay-only  ${state.sourceRunId}: ${state.snapshotHighWatermark === undefined ? 'no snapshot' : `snapshot @${state.snapshotHighWatermark}`}, tail seq ${state.fromSeq}..${state.toSeq} (${state.applied} applied, ${state.ignored} ignored); nothing recorded`,
    `orders       ${state.orders.length} (${state.openOrders.length} open)`,
  ];
  for (const order of state.orders) {
    if (!state.openOrders.includes(order.clientOrderId)) continue;
    lines.push(
      `  open ${order.clientOrderId} ${order.strategyId} ${order.instrumentId} ${order.side} ${order.quantity} @ ${order.price ?? 'market'} ${order.status} filled=${order.filledQuantity}`,
    );
  }
  lines.push(`positions    ${state.positions.length}`);
  for (const position of state.positions) {
    lines.push(`  ${position.positionId} ${position.side} qty=${position.quantity} cost_basis=${position.costBasis} realized_pnl=${position.realizedPnl}`);
  }
  for (const account of state.accounts) {
    for (const balance of account.balances)
      lines.push(`balance      ${account.accountId} ${balance.currency} total=${balance.total} locked=${balance.locked} free=${balance.free}`);
  }
  return lines.join('\n');
}
