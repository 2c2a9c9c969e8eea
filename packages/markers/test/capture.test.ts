import { CollectingLogger, TestQuote, TestTrade, testQuoteExtractor, testTradeExtractor } from '@tapelog/test-support';
import { describe, expect, it } from 'vitest';
import { DataMarkerCapture, type DataMarkerCaptureOptions, LANE_FAILED_MESSAGE } from '../src/capture.js';
import { DataMarkerExtractorRegistry } from '../src/registry.js';
import { createSubmitCounter } from '../src/submit-counter.js';
import { RecordingSink } from './fixtures/test-support.js';

const ETH = 'ETHUSDT.BINANCE';
const BTC = 'BTCUSDT.BINANCE';

function setup(options: Partial<DataMarkerCaptureOptions> = {}, seed = 0) {
  const sink = new RecordingSink();
  const counter = createSubmitCounter(seed);
  const logger = new CollectingLogger();
  const registry = new DataMarkerExtractorRegistry().register(TestQuote, testQuoteExtractor).register(TestTrade, testTradeExtractor);
  const capture = new DataMarkerCapture({ sink, registry, submitCounter: counter, logger, ...options });
  return { sink, counter, capture, logger };
}

describe('DataMarkerCapture', () => {
  it('stamps eventSeqBefore from the shared submit counter', () => {
    const { sink, counter, capture } = setup({ highFidelity: [ETH] }, 5);
    capture.observe('q.eth', new TestQuote(ETH, 10n, 20n), 0n);
    expect(sink.hifi[0]?.eventSeqBefore).toBe(5);
    counter.increment();
    capture.onEntrySubmitted(100n);
    expect(sink.snapshots[0]?.eventSeqBefore).toBe(6);
  });

  it('writes a snapshot on an entry boundary, after the dictionary entry', () => {
    const { sink, counter, capture } = setup({}, 0);
    capture.observe('q.eth', new TestQuote(ETH, 10n, 20n), 0n);
    counter.increment();
    capture.onEntrySubmitted(50n);
    expect(sink.snapshots).toEqual([{ markerSeq: 1, eventSeqBefore: 1, tsInit: 50n, advanced: [{ slot: 0, tsInitHi: 20n, count: 1 }] }]);
    expect(sink.dict).toEqual([{ slot: 0, dataClass: 'Quote', identifier: ETH }]);
    expect(sink.order).toEqual(['dict:0', 'snapshot:1']);
  });

  it('emits no snapshot and consumes no marker seq when nothing advanced', () => {
    const { sink, capture } = setup();
    capture.onEntrySubmitted(10n);
    capture.maybeSafetyFlush(10_000_000_000n);
    expect(sink.snapshots).toEqual([]);
    expect(capture.markerSeq).toBe(0);
  });

  it('safety-flushes without an entry once the interval has passed', () => {
    const { sink, capture } = setup({ safetyFlushIntervalNs: 10n });
    capture.observe('q.eth', new TestQuote(ETH, 10n, 20n), 0n);
    capture.maybeSafetyFlush(30n);
    expect(sink.snapshots).toEqual([{ markerSeq: 1, eventSeqBefore: 0, tsInit: 30n, advanced: [{ slot: 0, tsInitHi: 20n, count: 1 }] }]);
  });

  it('waits a full interval after an entry-boundary snapshot', () => {
    const { sink, capture } = setup({ safetyFlushIntervalNs: 10n });
    capture.observe('q.eth', new TestQuote(ETH, 10n, 20n), 20n);
    capture.onEntrySubmitted(100n);
    expect(sink.snapshots.map((s) => s.advanced[0]?.count)).toEqual([1]);
    capture.observe('q.eth', new TestQuote(ETH, 11n, 21n), 105n);
    capture.maybeSafetyFlush(109n);
    expect(sink.snapshots).toHaveLength(1);
    capture.maybeSafetyFlush(110n);
    expect(sink.snapshots.map((s) => [s.markerSeq, s.tsInit, s.advanced[0]?.count])).toEqual([
      [1, 100n, 1],
      [2, 110n, 2],
    ]);
  });

  it('does not flush when the clock went backwards', () => {
    const { sink, capture } = setup({ safetyFlushIntervalNs: 10n });
    capture.observe('q.eth', new TestQuote(ETH, 10n, 20n), 0n);
    capture.onEntrySubmitted(100n);
    capture.observe('q.eth', new TestQuote(ETH, 10n, 20n), 0n);
    capture.maybeSafetyFlush(50n);
    expect(sink.snapshots).toHaveLength(1);
  });

  it('emits a hifi marker only for configured identifiers, and still advances the cursor', () => {
    const { sink, capture } = setup({ highFidelity: [ETH] }, 2);
    capture.observe('q.eth', new TestQuote(ETH, 10n, 20n), 0n);
    capture.observe('q.btc', new TestQuote(BTC, 10n, 20n), 0n);
    expect(sink.hifi).toEqual([
      { markerSeq: 1, eventSeqBefore: 2, slot: 0, tsEvent: 10n, tsInit: 20n, sameTsOrdinal: 0, recordFingerprint: new Uint8Array(32).fill(7) },
    ]);
    capture.onEntrySubmitted(30n);
    expect(sink.snapshots[0]?.markerSeq).toBe(2);
    expect(sink.snapshots[0]?.advanced.map((c) => c.slot)).toEqual([0, 1]);
  });

  it('gives same-tsInit hifi markers increasing ordinals and marker seqs', () => {
    const { sink, capture } = setup({ highFidelity: [ETH] });
    capture.observe('q.eth', new TestQuote(ETH, 10n, 20n), 0n);
    capture.observe('q.eth', new TestQuote(ETH, 11n, 20n), 0n);
    expect(sink.hifi.map((m) => [m.markerSeq, m.sameTsOrdinal])).toEqual([
      [1, 0],
      [2, 1],
    ]);
  });

  it('ignores unregistered messages entirely', () => {
    const { sink, capture } = setup({ safetyFlushIntervalNs: 1n, highFidelity: [ETH] });
    capture.observe('q.eth', { instrumentId: ETH }, 0n);
    capture.observe('q.eth', 'text', 0n);
    capture.maybeSafetyFlush(1_000n);
    expect([sink.snapshots, sink.hifi, sink.dict]).toEqual([[], [], []]);
  });

  it('does not count a high-fidelity record whose fingerprint is missing', () => {
    const registry = new DataMarkerExtractorRegistry().register(TestQuote, { ...testQuoteExtractor, fingerprint: () => undefined });
    const { sink, capture } = setup({ registry, highFidelity: [ETH] });
    capture.observe('q.eth', new TestQuote(ETH, 10n, 20n), 0n);
    capture.onEntrySubmitted(1n);
    expect([sink.hifi, sink.snapshots, sink.dict]).toEqual([[], [], []]);
  });

  it('survives a throwing extractor and logs it once', () => {
    const registry = new DataMarkerExtractorRegistry().register(TestQuote, {
      ...testQuoteExtractor,
      tsInit: () => {
        throw new Error('kernel bug');
      },
    });
    const { sink, capture, logger } = setup({ registry });
    expect(() => capture.observe('q.eth', new TestQuote(ETH, 10n, 20n), 0n)).not.toThrow();
    capture.observe('q.eth', new TestQuote(ETH, 10n, 20n), 0n);
    expect(logger.errors).toHaveLength(1);
    expect(logger.errors[0]).toContain('kernel bug');
    expect(sink.dict).toEqual([]);
  });

  it('routes a bus event: an entry flushes, data is observed, then the safety flush is checked', () => {
    const { sink, counter, capture } = setup({ safetyFlushIntervalNs: 1_000n }, 1);
    capture.onBusEvent('orders', { kind: 'SubmitOrder' }, 5n, true);
    expect(sink.snapshots).toEqual([]);
    capture.onBusEvent('data.quotes.BINANCE.ETHUSDT-PERP', new TestQuote('ETHUSDT-PERP.BINANCE', 1n, 2n), 6n, false);
    capture.onBusEvent('data.trades.XNAS.AAPL', new TestTrade('AAPL.XNAS', 1n, 3n), 7n, false);
    counter.increment();
    capture.onBusEvent('orders', { kind: 'SubmitOrder' }, 8n, true);
    expect(sink.snapshots).toEqual([
      {
        markerSeq: 1,
        eventSeqBefore: 2,
        tsInit: 8n,
        advanced: [
          { slot: 0, tsInitHi: 2n, count: 1 },
          { slot: 1, tsInitHi: 3n, count: 1 },
        ],
      },
    ]);
    expect(sink.dict.map((entry) => [entry.dataClass, entry.identifier])).toEqual([
      ['Quote', 'ETHUSDT-PERP.BINANCE'],
      ['Trade', 'AAPL.XNAS'],
    ]);
  });

  it('keeps consuming marker seqs after a drop, and logs a closed lane exactly once', () => {
    const { sink, capture, logger } = setup({ highFidelity: [ETH] });
    sink.outcome = 'dropped';
    capture.observe('q.eth', new TestQuote(ETH, 10n, 20n), 0n);
    expect(logger.errors).toEqual([]);
    sink.outcome = 'closed';
    capture.observe('q.eth', new TestQuote(ETH, 10n, 21n), 0n);
    capture.onEntrySubmitted(5n);
    expect(capture.markerSeq).toBe(3);
    expect(logger.errors).toEqual([LANE_FAILED_MESSAGE]);
  });

  it('does nothing once closed', () => {
    const { sink, capture } = setup({ highFidelity: [ETH] });
    capture.close();
    capture.onBusEvent('q.eth', new TestQuote(ETH, 10n, 20n), 0n, false);
    capture.onEntrySubmitted(1n);
    expect([sink.snapshots, sink.hifi, sink.dict]).toEqual([[], [], []]);
  });
});
