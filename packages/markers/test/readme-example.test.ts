/** The README's example, run for real: a kernel's Quote class, the sidecar on LevelDB, verified after close. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleFrom, firstTypeScriptBlock } from '@tapelog/test-support';
import { expect, test } from 'vitest';
import {
  bindMarkerType,
  buildMarkerRegistry,
  createSubmitCounter,
  type DataClass,
  defineExtractor,
  markersPath,
  openMarkerSidecarOrDisable,
  verifyMarkerStore,
} from '../src/index.js';

/** A kernel's own quote class; prices are integer mantissas at a precision. */
class QuoteTick {
  constructor(
    readonly instrumentId: string,
    readonly bid: bigint,
    readonly ask: bigint,
    readonly tsEvent: bigint,
    readonly tsInit: bigint,
  ) {}
}

test('the README example records markers beside a run and verifies them', async () => {
  const baseDir = mkdtempSync(join(tmpdir(), 'tapelog-markers-readme-'));
  const instanceId = 'trader-001';
  const runId = '1700000000-abcd1234';
  const submitCounter = createSubmitCounter(1); // RunStarted is entry 1; capture increments it
  try {
    // --- README example starts ---
    // 1. The kernel describes its data classes once: the lifecycle's `markerRegistryFactory`.
    const price = (raw: bigint) => ({ raw, precision: 2 });
    const registryFactory = (classes: readonly DataClass[]) =>
      buildMarkerRegistry(classes, {
        Quote: bindMarkerType(
          QuoteTick,
          defineExtractor('Quote', {
            identifier: (quote: QuoteTick) => quote.instrumentId,
            tsEvent: (quote) => quote.tsEvent,
            tsInit: (quote) => quote.tsInit,
            fingerprintFields: (quote) => ({
              bidPrice: price(quote.bid),
              askPrice: price(quote.ask),
              bidSize: price(1n),
              askSize: price(1n),
              tsEvent: quote.tsEvent,
            }),
          }),
        ),
        // Trade, Bar, BookDepth10 and BookDeltas bind the same way.
      });

    // 2. Opened beside the run (the lifecycle does this after RunStarted when `dataMarkers` is set).
    const markers = await openMarkerSidecarOrDisable({
      runId,
      config: { classes: ['Quote'], highFidelity: ['ETHUSDT.BINANCE'] },
      store: { kind: 'level', baseDir, instanceId }, // <baseDir>/<instanceId>/<runId>.markers.level
      registry: registryFactory,
      submitCounter, // shared with the capture adapter
    }); // undefined, with a warning, when setup fails: markers never block a run

    // 3. The bus tap feeds every dispatch; `captured` says whether it became an entry.
    markers?.onBusEvent('data.quotes.ETHUSDT', new QuoteTick('ETHUSDT.BINANCE', 100n, 101n, 10n, 11n), 11n, false);
    submitCounter.increment(); // capture accepted an entry (seq 2) …
    markers?.onBusEvent('exec.command', {}, 12n, true); // … so a cursor snapshot records what came before it

    // 4. Closed after the entry writer at seal; it never rejects.
    const closed = await markers?.close();
    // --- README example ends ---
    expect(closed?.manifest?.status).toBe('Ended');
    const verification = await verifyMarkerStore(markersPath(baseDir, instanceId, runId), { entryHighWatermark: 2 });
    expect(verification.verdict).toBe('clean');
    expect([verification.report?.snapshotsScanned, verification.report?.hifiScanned, verification.report?.dictEntriesScanned]).toEqual([1, 1, 1]);
  } finally {
    rmSync(baseDir, { recursive: true, force: true });
  }
});

test('the README shows that example verbatim', () => {
  expect(firstTypeScriptBlock(new URL('../README.md', import.meta.url))).toBe(exampleFrom(new URL(import.meta.url)));
});
