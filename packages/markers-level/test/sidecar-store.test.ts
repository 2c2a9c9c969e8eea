/**
 * The LevelDB store under the marker sidecar: written beside the run, verified read-only by
 * `markers verify` (clean, tampered, missing, foreign), and a crashed store is not reused.
 */
import { join } from 'node:path';
import {
  createSubmitCounter,
  DataMarkerExtractorRegistry,
  formatMarkerVerification,
  markerVerificationToJson,
  newMarkerManifest,
  openMarkerSidecar,
} from '@tapelog/markers';
import { CollectingLogger, TestQuote, TestTrade, temporaryDirectory, testQuoteExtractor, testTradeExtractor } from '@tapelog/test-support';
import { ClassicLevel } from 'classic-level';
import { beforeEach, describe, expect, it } from 'vitest';
import { LevelMarkerBackend, levelMarkerStore, markersPath, verifyMarkerStore } from '../src/index.js';

const ETH = 'ETHUSDT.BINANCE';
const registry = () => new DataMarkerExtractorRegistry().register(TestQuote, testQuoteExtractor).register(TestTrade, testTradeExtractor);

let dir: string;
beforeEach(() => {
  dir = temporaryDirectory('tapelog-markers-sidecar-');
});

describe('LevelDB marker sidecar', () => {
  it('rejects an unsafe instance id when the store option is built', () => {
    expect(() => levelMarkerStore(dir, '..')).toThrow(TypeError);
  });

  it('writes a LevelDB store beside the run that `markers verify` reports clean, and flags tampering', async () => {
    const counter = createSubmitCounter(1);
    const sidecar = await openMarkerSidecar({
      runId: '1700-0000abcd',
      config: { highFidelity: [ETH] },
      store: levelMarkerStore(dir, 'trader-1'),
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

  it('refuses to reuse a crashed store (recovered as CrashedRecovered) instead of failing on the first write', async () => {
    const crashed = await LevelMarkerBackend.open(markersPath(dir, 'i', 'r-c'), newMarkerManifest('r-c', ['Quote'], false));
    await crashed.appendSnapshot({ markerSeq: 1, eventSeqBefore: 1, tsInit: 1n, advanced: [] }, new Uint8Array(32));
    await crashed.close(); // released without a seal, as a killed process leaves it
    const options = {
      runId: 'r-c',
      config: { classes: ['Quote' as const] },
      store: levelMarkerStore(dir, 'i'),
      registry: registry(),
      submitCounter: createSubmitCounter(),
      logger: new CollectingLogger(),
    };
    await expect(openMarkerSidecar(options)).rejects.toMatchObject({ code: 'CLOSED', message: expect.stringContaining('CrashedRecovered') });
    const report = await verifyMarkerStore(markersPath(dir, 'i', 'r-c'));
    expect(report.report?.status).toBe('CrashedRecovered');
  });
});
