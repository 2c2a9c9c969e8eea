import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptyRegisteredComponents, newManifest } from '@tapelog/core';
import { bindMarkerType, buildMarkerRegistry, type DataClass, defineExtractor, type QuoteFingerprintFields } from '@tapelog/markers';
import { LevelMarkerBackend, markersPath } from '@tapelog/markers-level';
import { temporaryDirectory } from '@tapelog/test-support';
import { describe, expect, test } from 'vitest';
import { openMarkerSidecar } from '../src/marker-setup.js';
import { boot, bootAndOpen, durable, INSTANCE } from './fixtures/boot.js';
import { SubmitOrder, testUuid } from './fixtures/messages.js';

class QuoteTick {
  constructor(
    readonly instrumentId: string,
    readonly fields: QuoteFingerprintFields,
    readonly tsInit: bigint,
  ) {}
}

class DeltasTick {
  constructor(
    readonly instrumentId: string,
    readonly tsInit: bigint,
  ) {}
}

const price = (raw: bigint) => ({ raw, precision: 2 });

function quote(instrumentId: string, tsInit: bigint): QuoteTick {
  return new QuoteTick(instrumentId, { bidPrice: price(100n), askPrice: price(101n), bidSize: price(5n), askSize: price(6n), tsEvent: tsInit }, tsInit);
}

const quoteExtractor = defineExtractor('Quote', {
  identifier: (q: QuoteTick) => q.instrumentId,
  tsEvent: (q) => q.fields.tsEvent,
  tsInit: (q) => q.tsInit,
  fingerprintFields: (q) => q.fields,
});
const deltasExtractor = defineExtractor('BookDeltas', {
  identifier: (d: DeltasTick) => d.instrumentId,
  tsEvent: (d) => d.tsInit,
  tsInit: (d) => d.tsInit,
  fingerprintFields: () => ({ deltas: [], flags: 0, sequence: 0n, tsEvent: 0n }) as never,
});

function markerRegistry(classes: readonly DataClass[]) {
  return buildMarkerRegistry(classes, { Quote: bindMarkerType(QuoteTick, quoteExtractor), BookDeltas: bindMarkerType(DeltasTick, deltasExtractor) });
}

describe('the marker sidecar wired by open', () => {
  test('markers come from bus traffic: snapshots stamp the entries submitted before them', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const booted = await bootAndOpen({ baseDir, dataMarkers: { classes: ['BookDeltas', 'Quote'] } }, { markerRegistryFactory: markerRegistry });
    expect(booted.lifecycle.hasMarkers).toBe(true);
    booted.bus.send('ExecEngine.execute', new SubmitOrder(testUuid(), 'O-1', testUuid(), 1n));
    booted.bus.publish('data.quotes.ETHUSDT-PERP.BINANCE', quote('ETHUSDT-PERP.BINANCE', 2_000n));
    booted.bus.publish('data.book.deltas.AAPL.XNAS', new DeltasTick('AAPL.XNAS', 3_000n));
    booted.bus.send('ExecEngine.execute', new SubmitOrder(testUuid(), 'O-2', testUuid(), 1n));
    await durable(booted, 3);
    const runId = booted.lifecycle.runId!;
    await booted.lifecycle.seal();
    const store = await LevelMarkerBackend.openReadOnly(markersPath(baseDir, INSTANCE, runId));
    try {
      const snapshots = await store.scanSnapshots();
      expect(snapshots).toHaveLength(1);
      const snapshot = snapshots[0]!.record;
      expect(snapshot.eventSeqBefore).toBe(3);
      expect(snapshot.advanced.map((cursor) => cursor.count)).toEqual([1, 1]);
      const dictionary = (await store.scanDict()).map((entry) => [entry.record.dataClass, entry.record.identifier]);
      expect(dictionary).toEqual([
        ['Quote', 'ETHUSDT-PERP.BINANCE'],
        ['BookDeltas', 'AAPL.XNAS'],
      ]);
      expect((await store.manifest()).status).toBe('Ended');
    } finally {
      await store.close();
    }
  });

  test('the marker registry factory is called once per open with the configured classes in order', async () => {
    const calls: DataClass[][] = [];
    const booted = await bootAndOpen(
      { baseDir: temporaryDirectory('tapelog-lifecycle-'), dataMarkers: { classes: ['Trade', 'Quote'] } },
      {
        markerRegistryFactory: (classes) => {
          calls.push([...classes]);
          return markerRegistry(classes);
        },
      },
    );
    expect(calls).toEqual([['Trade', 'Quote']]);
    await booted.lifecycle.seal();
  });

  test('boot ignores marker sidecar files: a sealed run with markers recovers nothing', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const booted = await bootAndOpen({ baseDir, dataMarkers: {} }, { markerRegistryFactory: markerRegistry });
    booted.bus.publish('data.quotes.X', quote('X', 5n));
    const runId = booted.lifecycle.runId!;
    await booted.lifecycle.seal();
    expect(existsSync(markersPath(baseDir, INSTANCE, runId))).toBe(true);
    const next = await boot({ baseDir, dataMarkers: {} }, { markerRegistryFactory: markerRegistry });
    expect(next.lifecycle.recovered).toEqual([]);
  });

  test('a marker setup failure disables markers without blocking open; capture and seal still work', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const failing = await boot(
      { baseDir, dataMarkers: {} },
      {
        markerRegistryFactory: () => {
          throw new Error('marker registry unavailable');
        },
      },
    );
    await failing.lifecycle.open(emptyRegisteredComponents(), { bus: failing.bus, environment: { clock: failing.clock } });
    expect(failing.lifecycle.hasMarkers).toBe(false);
    expect(failing.logs.some((line) => line.includes('marker registry unavailable'))).toBe(true);
    failing.bus.send('ExecEngine.execute', new SubmitOrder(testUuid(), 'O-9', testUuid(), 1n));
    await durable(failing, 2);
    const sealed = await failing.lifecycle.seal();
    expect(sealed?.highWatermark).toBe(3);
  });

  test('markers disabled: no sidecar and no marker file, market data is not an entry', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const booted = await bootAndOpen({ baseDir }, { markerRegistryFactory: markerRegistry });
    booted.bus.publish('data.quotes.X', quote('X', 5n));
    const sealed = await booted.lifecycle.seal();
    expect(sealed?.highWatermark).toBe(2);
    expect(readdirSync(join(baseDir, INSTANCE)).filter((name) => name.includes('markers'))).toEqual([]);
  });
});

describe('marker store failures', () => {
  test('a marker store path that cannot be created disables markers; the run opens, captures and seals', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const runIdUuid = () => 'abcdef01-0000-4000-8000-000000000000';
    // The run id is predictable (start 1000, fixed suffix), so its marker path can be taken by a file.
    mkdirSync(join(baseDir, INSTANCE), { recursive: true });
    writeFileSync(markersPath(baseDir, INSTANCE, '1000-abcdef01'), 'not a directory');
    const booted = await bootAndOpen({ baseDir, dataMarkers: {} }, { markerRegistryFactory: markerRegistry, runIdUuid });
    expect(booted.lifecycle.runId).toBe('1000-abcdef01');
    expect(booted.lifecycle.hasMarkers).toBe(false);
    expect(booted.logs.some((line) => line.startsWith('warn:') && line.includes('1000-abcdef01'))).toBe(true);
    booted.bus.send('ExecEngine.execute', new SubmitOrder(testUuid(), 'O-7', testUuid(), 1n));
    await durable(booted, 2);
    expect((await booted.lifecycle.seal())?.status).toBe('Ended');
  });
});

describe('the LevelDB marker store is an optional package', () => {
  test('without @tapelog/markers-level installed, markers are disabled with a PACKAGE_NOT_INSTALLED warning and no file is written', async () => {
    const baseDir = temporaryDirectory('tapelog-lifecycle-');
    const logs: string[] = [];
    const manifest = newManifest({ runId: '1000-abcdef01', instanceId: INSTANCE, startTsInit: 1_000n });
    const bridge = await openMarkerSidecar({
      baseDir,
      dataMarkers: { classes: ['Quote'] },
      manifest,
      initialSubmitCount: 1,
      registryFactory: markerRegistry,
      log: (level, message) => logs.push(`${level}: ${message}`),
      loadMarkerStore: () => Promise.reject(Object.assign(new Error("Cannot find package '@tapelog/markers-level'"), { code: 'ERR_MODULE_NOT_FOUND' })),
    });
    expect(bridge).toBeUndefined();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^warn: .*@tapelog\/markers-level.*\(PACKAGE_NOT_INSTALLED\)$/);
    expect(existsSync(markersPath(baseDir, INSTANCE, manifest.runId))).toBe(false);
  });
});
