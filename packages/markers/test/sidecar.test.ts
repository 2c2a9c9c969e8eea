import { CollectingLogger, TestQuote, TestTrade, testQuoteExtractor, testTradeExtractor } from '@tapelog/test-support';
import { describe, expect, it } from 'vitest';
import type { DataClass } from '../src/data-class.js';
import { verifyMarkers } from '../src/marker-verifier.js';
import { MemoryMarkerBackend } from '../src/memory-backend.js';
import { newMarkerManifest } from '../src/model.js';
import { DataMarkerExtractorRegistry } from '../src/registry.js';
import { openMarkerSidecar, openMarkerSidecarOrDisable } from '../src/sidecar.js';
import { createSubmitCounter } from '../src/submit-counter.js';
import { GatedBackend } from './fixtures/test-support.js';

const ETH = 'ETHUSDT.BINANCE';
const registry = () => new DataMarkerExtractorRegistry().register(TestQuote, testQuoteExtractor).register(TestTrade, testTradeExtractor);

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
