/**
 * Crash and restart for real: the built CLI is killed with SIGKILL mid-run (`--crash-after`),
 * then the next `kernel run` recovers it as CrashedRecovered, links it as parent, restores its
 * cache and reconciles its open orders with the venue; both runs verify clean.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProvider } from '@tapelog/backend-level';
import { decodeMsgpackPayload } from '@tapelog/capture';
import { EventStoreReader } from '@tapelog/core';
import { restoreFromSealedRun, Verifier } from '@tapelog/recovery';
import { temporaryDirectory } from '@tapelog/test-support';
import { describe, expect, it } from 'vitest';
import { BlobDirectory } from '../src/blob-directory.js';
import { KernelCache } from '../src/cache.js';
import { runKernel } from '../src/run-kernel.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const TAPELOG = fileURLToPath(new URL('../node_modules/@tapelog/cli/dist/bin.js', import.meta.url));

describe('crash and restart', () => {
  it('recovers a SIGKILLed run as parent and carries its state on', async () => {
    expect(existsSync(MAIN), 'build the app first (npx tsup): the crash runs the built CLI').toBe(true);
    const baseDir = temporaryDirectory();
    const crashed = spawnSync(process.execPath, [MAIN, 'run', '--base', baseDir, '--seed', '7', '--crash-after', '2500'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(crashed.signal).toBe('SIGKILL');
    expect(crashed.stdout).toBe('');

    const provider = createProvider({ baseDir });
    const [predecessor] = await provider.listRuns('kernel-001');
    expect(predecessor?.status).toBe('Running');

    const summary = await runKernel({ baseDir, seed: 7n, duration: 10_000_000_000n });
    expect(summary.recovered).toHaveLength(1);
    expect(summary.recovered[0]).toMatchObject({ runId: predecessor!.runId, status: 'CrashedRecovered' });
    expect(summary.parentRunId).toBe(predecessor!.runId);
    expect(summary.status).toBe('Ended');
    expect(summary.restore?.sourceRunId).toBe(predecessor!.runId);
    expect(summary.restore!.toSeq).toBeGreaterThan(1);
    expect(summary.restore!.toSeq).toBeLessThanOrEqual(2500);

    // Both runs verify clean, in process and with the `tapelog verify` command.
    for (const runId of [predecessor!.runId, summary.runId]) {
      const verified = spawnSync(process.execPath, [TAPELOG, 'verify', join(baseDir, 'kernel-001', `${runId}.level`)], { encoding: 'utf8', timeout: 60_000 });
      expect(verified.status, verified.stdout + verified.stderr).toBe(0);
      expect(verified.stdout).toContain(`clean run_id=${runId}`);
      const verifier = await Verifier.openSealed(provider, 'kernel-001', runId);
      try {
        expect((await verifier.verify()).findings).toEqual([]);
      } finally {
        await verifier.close();
      }
    }

    // What the predecessor left open is exactly what the new run reconciled at its start.
    const inherited = new KernelCache();
    const blobs = new BlobDirectory(baseDir, 'kernel-001');
    await restoreFromSealedRun(provider, 'kernel-001', predecessor!.runId, {
      loadSnapshot: (anchor) => blobs.read(anchor.blobRef),
      applySnapshot: (blob) => inherited.restoreSnapshot(blob),
      applyEntry: (entry) => inherited.applyEntry(entry),
    });
    const open = [...inherited.openOrders()].map((order) => order.clientOrderId).sort();
    expect(open.length).toBeGreaterThan(0);
    expect(inherited.account('SIM-001')).toBeDefined();
    const store = await provider.openSealed('kernel-001', summary.runId);
    try {
      const reader = new EventStoreReader(store);
      const start = (await store.scanSeq(1))!.tsInit;
      const reconciled: string[] = [];
      let firstAccount: Record<string, unknown> | undefined;
      for await (const entry of reader.scanRange(2, await store.highWatermark())) {
        if (!['AccountState', 'OrderStatusReport', 'OrderRejected'].includes(entry.payloadType)) continue;
        const payload = decodeMsgpackPayload(entry.payload) as Record<string, unknown>;
        if (entry.payloadType === 'AccountState') firstAccount ??= payload;
        if (payload.tsInit !== start) continue;
        if (entry.payloadType === 'OrderStatusReport' || (entry.payloadType === 'OrderRejected' && payload.reason === 'unknown at venue after restart')) {
          reconciled.push(payload.clientOrderId as string);
        }
      }
      expect(reconciled.sort()).toEqual(open);
      expect((firstAccount!.balances as Array<{ total: bigint }>)[0]!.total).toBe(inherited.account('SIM-001')!.balances[0]!.total);
    } finally {
      await store.close();
    }
  });
});
