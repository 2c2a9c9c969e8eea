import { join } from 'node:path';
import { temporaryDirectory } from '@tapelog/test-support';
import { ClassicLevel } from 'classic-level';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DataClass } from '../src/data-class.js';
import { LevelMarkerBackend, markersPath } from '../src/level-backend.js';
import { verifyMarkers } from '../src/marker-verifier.js';
import { MemoryMarkerBackend } from '../src/memory-backend.js';
import { newMarkerManifest } from '../src/model.js';
import { DataMarkerExtractorRegistry } from '../src/registry.js';
import { openMarkerSidecar, openMarkerSidecarOrDisable } from '../src/sidecar.js';
import { createSubmitCounter } from '../src/submit-counter.js';
import { formatMarkerVerification, markerVerificationToJson, verifyMarkerStore } from '../src/verify-store.js';
import { CollectingLogger, GatedBackend, TestQuote, TestTrade, testQuoteExtractor, testTradeExtractor } from './fixtures/test-support.js';

const ETH = 'ETHUSDT.BINANCE';
const registry = () => new DataMarkerExtractorRegistry().register(TestQuote, testQuoteExtractor).register(TestTrade, testTradeExtractor);

let dir: string;
beforeEach(() => {
  dir = temporaryDirectory('tapelog-markers-sidecar-');
});

describe('marker sidecar', () => {
  it('overflow: a stalled store fills the queue, capture keeps going, drops become gaps the verifier reports', async () => {
    const backend = new GatedBackend(newMarkerManifest('run-o', ['Quote'], true));
    backend.stall();
    const logger = new CollectingLogger();
    const counter = createSubmitCounter(1);
    const sidecar = await openMarkerSidecar({
      runId: 'run-o',
      config: { classes: ['Quote'], highFidelity: [ETH], channelCapacity: 8, maxLatencyMs: 0 },
      store: { kind: 'custom', open: async () => backend },
      registry: registry(),
      submitCounter: counter,
      logger,
    });
    // A synchronous kernel loop: if observe ever waited for the store, this would never finish.
    for (let i = 0; i < 5_000; i++) {
      const now = BigInt(1_000 + i);
      sidecar.onBusEvent('data.quotes.ETH', new TestQuote(ETH, now, now), now, false);
      if (i % 10 === 0) {
        counter.increment();
        sidecar.onBusEvent('orders', { kind: 'SubmitOrder' }, now, true);
      }
    }
    expect(sidecar.stats.dropped).toBeGreaterThan(0);
    expect(sidecar.capture.markerSeq).toBe(sidecar.stats.accepted + sidecar.stats.dropped);
    backend.release();
    // More data after the store recovers: the next accepted marker carries an Overflow gap.
    await sidecar.flush();
    sidecar.onBusEvent('data.quotes.ETH', new TestQuote(ETH, 9_000n, 9_000n), 9_000n, false);
    const closed = await sidecar.close();
    expect(closed.manifest?.status).toBe('Ended');
    expect(closed.error).toBeUndefined();
    expect(logger.errors).toEqual([]);

    const report = await verifyMarkers(backend, { entryHighWatermark: counter.value });
    expect(report.findings).toEqual([]);
    expect(report.gaps.length).toBeGreaterThan(0);
    expect(report.gaps.some((gap) => gap.reason === 'Overflow')).toBe(true);
    const dropped = report.gaps.reduce((sum, gap) => sum + gap.toMarkerSeq - gap.fromMarkerSeq + 1, 0);
    expect(dropped).toBe(closed.stats.dropped);
    expect(report.snapshotsScanned + report.hifiScanned + dropped).toBe(sidecar.capture.markerSeq);
    expect((await backend.scanDict()).map((row) => row.record.identifier)).toEqual([ETH]);
  });

  it('writes a LevelDB store beside the run that `markers verify` reports clean, and flags tampering', async () => {
    const counter = createSubmitCounter(1);
    const sidecar = await openMarkerSidecar({
      runId: '1700-0000abcd',
      config: { highFidelity: [ETH] },
      store: { kind: 'level', baseDir: dir, instanceId: 'trader-1' },
      registry: registry(),
      submitCounter: counter,
      logger: new CollectingLogger(),
    });
    const path = markersPath(dir, 'trader-1', '1700-0000abcd');
    expect(sidecar.location).toBe(path);
    sidecar.onBusEvent('data.quotes.BINANCE.ETHUSDT', new TestQuote(ETH, 10n, 20n), 30n, false);
    sidecar.onBusEvent('data.trades.XNAS.AAPL', new TestTrade('AAPL.XNAS', 11n, 21n), 31n, false);
    counter.increment();
    sidecar.onBusEvent('orders', {}, 32n, true);
    expect((await sidecar.close()).manifest).toMatchObject({
      status: 'Ended',
      snapshotCount: 1,
      hifiCount: 1,
      dictCount: 2,
      enabledClasses: ['BookDeltas', 'BookDepth10', 'Quote', 'Trade', 'Bar'],
      highFidelity: true,
    });

    const clean = await verifyMarkerStore(path, { entryHighWatermark: 2 });
    expect(clean).toMatchObject({ verdict: 'clean', exitCode: 0 });
    expect(formatMarkerVerification(clean)).toEqual([
      `markers=clean path=${path} run_id=1700-0000abcd status=Ended snapshots=1 hifi=1 gaps=0 dict=2 entry_high_watermark=2`,
    ]);

    const db = new ClassicLevel<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view' });
    await db.open();
    const key = 'snapshot:0000000000000002';
    const bytes = (await db.get(key))!;
    bytes[bytes.length - 1]! ^= 0xff; // the last byte belongs to the stored hash
    await db.put(key, bytes);
    await db.close();
    const corrupt = await verifyMarkerStore(path);
    expect(corrupt).toMatchObject({ verdict: 'corrupt', exitCode: 1 });
    expect(formatMarkerVerification(corrupt)).toEqual([
      `markers=corrupt path=${path} run_id=1700-0000abcd status=Ended snapshots=1 hifi=1 gaps=0 dict=2 marker_findings=1`,
      'finding=HashMismatch record_kind=Snapshot marker_seq=2',
    ]);
    expect(markerVerificationToJson(corrupt)).toMatchObject({ verdict: 'corrupt', report: { findings: [{ kind: 'HashMismatch' }] } });
  });

  it('reports a missing store as an error (exit 2) and a damaged one as corrupt (exit 1)', async () => {
    const missing = await verifyMarkerStore(join(dir, 'nope.markers.level'));
    expect(missing).toMatchObject({ verdict: 'error', exitCode: 2 });
    expect(formatMarkerVerification(missing)[0]).toMatch(/^markers=error path=.*nope\.markers\.level error=".*no marker store/);

    const path = join(dir, 'broken.markers.level');
    const db = new ClassicLevel(path);
    await db.open();
    await db.put('manifest', 'not a record');
    await db.close();
    // No store-format marker: not a store this version wrote, reported as corrupt (exit 1).
    expect(await verifyMarkerStore(path)).toMatchObject({ verdict: 'corrupt', exitCode: 1, error: { code: 'UNSUPPORTED_FORMAT' } });
  });

  it('hands the enabled classes to a registry factory and warns about classes without an extractor', async () => {
    const received: Array<readonly DataClass[]> = [];
    const logger = new CollectingLogger();
    const sidecar = await openMarkerSidecar({
      runId: 'r',
      config: { classes: ['Trade', 'Quote', 'Bar'] },
      store: { kind: 'memory' },
      registry: (classes) => {
        received.push(classes);
        return registry();
      },
      submitCounter: createSubmitCounter(),
      logger,
    });
    expect(received).toEqual([['Trade', 'Quote', 'Bar']]);
    expect(logger.warnings).toEqual(['Data marker classes Bar have no extractor for run r; their messages are not recorded']);
    await sidecar.close();
  });

  it('disables markers with a warning when setup fails, without throwing', async () => {
    const logger = new CollectingLogger();
    const sidecar = await openMarkerSidecarOrDisable({
      runId: 'r-fail',
      config: { classes: ['Quote'] },
      store: { kind: 'custom', open: () => Promise.reject(new Error('disk unplugged')) },
      registry: registry(),
      submitCounter: createSubmitCounter(),
      logger,
    });
    expect(sidecar).toBeUndefined();
    expect(logger.warnings).toEqual(['Data marker sidecar disabled for run r-fail after marker setup failed: disk unplugged']);
  });

  it('refuses to reuse a crashed store (recovered as CrashedRecovered) instead of failing on the first write', async () => {
    const crashed = await LevelMarkerBackend.open(markersPath(dir, 'i', 'r-c'), newMarkerManifest('r-c', ['Quote'], false));
    await crashed.appendSnapshot({ markerSeq: 1, eventSeqBefore: 1, tsInit: 1n, advanced: [] }, new Uint8Array(32));
    await crashed.close(); // released without a seal, as a killed process leaves it
    const options = {
      runId: 'r-c',
      config: { classes: ['Quote' as const] },
      store: { kind: 'level' as const, baseDir: dir, instanceId: 'i' },
      registry: registry(),
      submitCounter: createSubmitCounter(),
      logger: new CollectingLogger(),
    };
    await expect(openMarkerSidecar(options)).rejects.toMatchObject({ code: 'CLOSED', message: expect.stringContaining('CrashedRecovered') });
    const report = await verifyMarkerStore(markersPath(dir, 'i', 'r-c'));
    expect(report.report?.status).toBe('CrashedRecovered');
  });

  it('returns a lane failure from close instead of rejecting', async () => {
    const backend = new GatedBackend(newMarkerManifest('r-f', ['Quote'], false));
    backend.failWith = new Error('write failed');
    const logger = new CollectingLogger();
    const sidecar = await openMarkerSidecar({
      runId: 'r-f',
      config: { maxLatencyMs: 0 },
      store: { kind: 'custom', open: async () => backend },
      registry: registry(),
      submitCounter: createSubmitCounter(),
      logger,
    });
    sidecar.onBusEvent('q', new TestQuote(ETH, 1n, 2n), 3n, false);
    await sidecar.flush();
    sidecar.onBusEvent('q2', new TestQuote('B.X', 1n, 2n), 4n, false);
    const result = await sidecar.close();
    expect(result.error).toMatchObject({ code: 'BACKEND', message: expect.stringContaining('write failed') });
    expect(result.manifest).toBeUndefined();
    expect(logger.errors).toHaveLength(2);
    expect(logger.errors[0]).toContain('fail-stopped');
    expect(logger.errors[1]).toContain('lane failed');
  });

  it('uses a supplied memory backend so the rows stay readable after close', async () => {
    const backend = new MemoryMarkerBackend();
    const sidecar = await openMarkerSidecar({
      runId: 'r-m',
      config: {},
      store: { kind: 'memory', backend },
      registry: registry(),
      submitCounter: createSubmitCounter(3),
      logger: new CollectingLogger(),
    });
    sidecar.onBusEvent('q', new TestQuote(ETH, 1n, 2n), 3n, false);
    sidecar.onBusEvent('o', {}, 4n, true);
    await sidecar.close();
    expect((await backend.scanSnapshots()).map((row) => row.record.eventSeqBefore)).toEqual([3]);
  });
});
