/**
 * Marker sidecar cost on the bus-dispatch path: nanoseconds per data message for the tap call
 * with markers on (cursor snapshots; and with high fidelity) against a no-op tap in the same run.
 */
import { createSubmitCounter, DataMarkerExtractorRegistry, type MarkerSidecar, MemoryMarkerBackend, openMarkerSidecar } from '@tapelog/markers';
import { QUOTE_INSTRUMENTS, Quote, quoteExtractor, sampleQuotes } from '../sample-quotes.js';
import type { Scenario } from '../scenario.js';
import { median, repeat } from '../stats.js';

const TOPICS = QUOTE_INSTRUMENTS.map((id) => `data.quotes.${id}`);
/** One event-store entry per this many data messages (a snapshot each time). */
const ENTRY_EVERY = 50;
const CHUNK = 1_000;

type Tap = (topic: string, message: unknown, now: bigint, captured: boolean) => void;

/**
 * Feeds `count` data messages in chunks, yielding between chunks so the writer drains as it
 * would between kernel turns. Returns [dispatch ns per message, wall ns per message incl. drain].
 */
async function feed(tap: Tap, flush: () => Promise<void>, quotes: readonly Quote[], count: number): Promise<[number, number]> {
  let dispatchNs = 0n;
  const wallStart = process.hrtime.bigint();
  let entry = { kind: 'SubmitOrder' };
  for (let done = 0; done < count; done += CHUNK) {
    const start = process.hrtime.bigint();
    for (let i = done; i < done + CHUNK; i++) {
      const quote = quotes[i % quotes.length]!;
      tap(TOPICS[i % TOPICS.length]!, quote, quote.tsInit, false);
      if (i % ENTRY_EVERY === 0) tap('events.order', entry, quote.tsInit, true);
    }
    dispatchNs += process.hrtime.bigint() - start;
    await new Promise((resolve) => setImmediate(resolve));
    entry = { kind: 'SubmitOrder' };
  }
  await flush();
  return [Number(dispatchNs) / count, Number(process.hrtime.bigint() - wallStart) / count];
}

async function sidecar(highFidelity: string[]): Promise<MarkerSidecar> {
  const counter = createSubmitCounter(1);
  const opened = await openMarkerSidecar({
    runId: 'bench',
    config: { classes: ['Quote'], highFidelity },
    store: { kind: 'memory', backend: new MemoryMarkerBackend() },
    registry: new DataMarkerExtractorRegistry().register(Quote, quoteExtractor),
    submitCounter: counter,
    logger: { error: () => undefined, warn: () => undefined },
  });
  const original = opened.onBusEvent.bind(opened);
  // The capture adapter counts each submitted entry before markers see it.
  opened.onBusEvent = (topic, message, now, captured) => {
    if (captured) counter.increment();
    original(topic, message, now, captured);
  };
  return opened;
}

export const scenario: Scenario = {
  name: 'markers',
  description: 'marker sidecar: ns per data message on the dispatch path (memory store), vs a no-op tap',
  async run({ full }) {
    const count = full ? 1_000_000 : 200_000;
    const repetitions = full ? 9 : 5;
    const quotes = sampleQuotes(4096);
    let sink = 0;
    const noop: Tap = (_topic, message) => {
      if (message === undefined) sink++;
    };
    const baseline = await repeat(repetitions, () => feed(noop, async () => undefined, quotes, count));
    const measure = async (highFidelity: string[]) => {
      const results: Array<[number, number]> = [];
      const stats: Array<{ dropped: number; accepted: number }> = [];
      for (let r = 0; r <= repetitions; r++) {
        const markers = await sidecar(highFidelity);
        const result = await feed(
          (t, m, n, c) => markers.onBusEvent(t, m, n, c),
          () => markers.flush(),
          quotes,
          count,
        );
        await markers.close();
        if (r > 0) {
          results.push(result);
          stats.push({ dropped: markers.stats.dropped, accepted: markers.stats.accepted });
        }
      }
      return { results, stats };
    };
    const cursors = await measure([]);
    const hifi = await measure([QUOTE_INSTRUMENTS[0]!]);
    const baselineNs = median(baseline.map(([dispatch]) => dispatch));
    const cursorNs = median(cursors.results.map(([dispatch]) => dispatch));
    const hifiNs = median(hifi.results.map(([dispatch]) => dispatch));
    return {
      figures: [
        { name: 'no-op tap, dispatch (median)', value: baselineNs, unit: 'ns/message' },
        {
          name: 'markers on, cursor snapshots, dispatch (median)',
          value: cursorNs,
          unit: 'ns/message',
          note: `1 entry per ${ENTRY_EVERY} data messages, 4 streams`,
        },
        { name: 'markers on, added cost per data message', value: cursorNs - baselineNs, unit: 'ns/message' },
        {
          name: 'markers on, incl. writer drain, wall (median)',
          value: median(cursors.results.map(([, wall]) => wall)),
          unit: 'ns/message',
          note: 'memory store',
        },
        { name: 'markers + hifi on 1 of 4 streams, dispatch (median)', value: hifiNs, unit: 'ns/message' },
        { name: 'markers + hifi, added cost per data message', value: hifiNs - baselineNs, unit: 'ns/message' },
        {
          name: 'markers + hifi, incl. writer drain, wall (median)',
          value: median(hifi.results.map(([, wall]) => wall)),
          unit: 'ns/message',
          note: 'memory store',
        },
      ],
      details: { count, repetitions, baseline, cursors, hifi, sink },
    };
  },
};
