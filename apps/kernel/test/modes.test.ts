/**
 * The run modes a user can pick beside the default: the wall clock (`--realtime`) and the
 * market-data marker sidecar (`--markers`), each through the whole stack to a sealed, verified run.
 */
import { existsSync } from 'node:fs';
import { createProvider } from '@tapelog/backend-level';
import { markersPath, verifyMarkerStore } from '@tapelog/markers-level';
import { temporaryDirectory } from '@tapelog/test-support';
import { describe, expect, it } from 'vitest';
import { runKernel } from '../src/run-kernel.js';

describe('run modes', () => {
  it('runs on the wall clock: trades, seals Ended and verifies clean, with wall-clock timestamps', async () => {
    const before = BigInt(Date.now()) * 1_000_000n;
    const summary = await runKernel({ realtime: true, duration: 1_500_000_000n, instruments: 2, baseDir: temporaryDirectory() });
    expect(summary.status).toBe('Ended');
    expect(summary.entries).toBeGreaterThan(10);
    expect(summary.verify?.clean).toBe(true);
    // A run id starts with its start time: on the wall clock, now, not the simulation epoch.
    const startedAt = BigInt(summary.runId.split('-')[0]!);
    expect(startedAt >= before - 5_000_000_000n).toBe(true);
    expect(summary.wallMilliseconds).toBeGreaterThanOrEqual(1_500);
  }, 60_000);

  it('a simulated run in a store that already holds runs starts after the newest of them', async () => {
    const baseDir = temporaryDirectory();
    const first = await runKernel({ duration: 5_000_000_000n, instruments: 2, baseDir, verify: false });
    const second = await runKernel({ duration: 5_000_000_000n, instruments: 2, baseDir, verify: false });
    expect(second.parentRunId).toBeUndefined();
    const runs = await createProvider({ baseDir }).listRuns('kernel-001');
    expect(runs.map((run) => run.runId)).toEqual([first.runId, second.runId]);
    expect(runs[1]!.startTsInit > runs[0]!.endTsInit!).toBe(true);
  }, 60_000);

  it('records market-data markers beside the run, and they verify clean against its entries', async () => {
    const baseDir = temporaryDirectory();
    const summary = await runKernel({ markers: true, duration: 20_000_000_000n, instruments: 2, baseDir });
    expect(summary.status).toBe('Ended');
    expect(summary.verify?.clean).toBe(true);
    const path = markersPath(baseDir, 'kernel-001', summary.runId);
    expect(existsSync(path)).toBe(true);
    const markers = await verifyMarkerStore(path, { entryHighWatermark: summary.entries });
    expect(markers.verdict).toBe('clean');
    expect(markers.report?.snapshotsScanned ?? 0).toBeGreaterThan(0);
    expect(markers.report?.dictEntriesScanned ?? 0).toBeGreaterThan(0);
    expect(markers.report?.entryHighWatermark).toBe(summary.entries);
  }, 60_000);
});
