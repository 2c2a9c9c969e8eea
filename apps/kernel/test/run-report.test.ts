import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../src/run-kernel.js';
import { formatProgress, formatSummary, summaryToJson } from '../src/run-report.js';

const summary: RunSummary = {
  runId: '1704067215004000000-b042426e',
  parentRunId: '1704067200000000000-97ebd8d0',
  status: 'Ended',
  entries: 4289,
  chainHead: 'bd44',
  recovered: [{ runId: '1704067200000000000-97ebd8d0', status: 'CrashedRecovered' }] as unknown as RunSummary['recovered'],
  restore: {
    sourceRunId: '1704067200000000000-97ebd8d0',
    fromSeq: 1786,
    toSeq: 2672,
    applied: 498,
    ignored: 389,
    anchor: { highWatermark: 1785, blobRef: 'b', contentHash: 'blake3:00' },
  },
  messages: 20_000,
  orders: 600,
  openOrders: 0,
  fills: 640,
  denied: 4,
  snapshots: 2,
  pnl: -1_001_490n,
  simulatedNanoseconds: 25_000_000_000n,
  wallMilliseconds: 870,
  messagesPerSecond: 22_988,
  entriesPerSecond: 4_930,
  storeWaitMilliseconds: 312,
  storeWaits: 3,
  commits: 140,
  largestBatch: 2048,
  commitLatencyP50Ms: 3.36,
  commitLatencyP99Ms: 19.03,
  verify: { clean: true, findings: [], chainHead: 'bd44', entriesScanned: 4289 },
};

describe('run report', () => {
  it('shows simulated time, messages, durable entries, orders, fills and PnL while running', () => {
    expect(formatProgress({ simulatedNanoseconds: 12_345_000_000n, messages: 10, durableEntries: 7, orders: 3, fills: 2, pnl: 150n })).toBe(
      't=12.345s  messages=10  durable=7  orders=3  fills=2  pnl=+1.50 USD',
    );
  });

  it('summarises run, parent, recovery, restore, status, entries, throughput and verify', () => {
    const text = formatSummary(summary);
    for (const expected of [
      'run          1704067215004000000-b042426e',
      'parent       1704067200000000000-97ebd8d0',
      'recovered    1704067200000000000-97ebd8d0 → CrashedRecovered',
      'snapshot @1785, tail seq 1786..2672 (498 applied, 389 ignored)',
      'status       Ended',
      'entries      4289',
      'throughput   22988 messages/s, 4930 entries/s',
      'store wait   312 ms in 3 wait(s) for durability',
      'commits      140, largest 2048 entries, latency p50 3.36 ms, p99 19.03 ms',
      'pnl          -10014.90 USD',
      'verify       clean (4289 entries, chain_head=bd44)',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('lists verify findings when there are some, and writes bigints as strings in JSON', () => {
    const dirty = { ...summary, verify: { clean: false, findings: ['HashMismatch seq=3'], entriesScanned: 10 } };
    expect(formatSummary(dirty)).toContain('verify       1 finding(s)\n  HashMismatch seq=3');
    const json = JSON.parse(summaryToJson(summary));
    expect(json.pnl).toBe('-1001490');
    expect(json.storeWaitMilliseconds).toBe(312);
    expect(json.storeWaits).toBe(3);
    expect(json).toMatchObject({ commits: 140, largestBatch: 2048, commitLatencyP50Ms: 3.36, commitLatencyP99Ms: 19.03 });
  });
});
