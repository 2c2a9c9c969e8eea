/**
 * The simulated trading kernel end to end: messages per second of wall time with the event store
 * off (the kernel alone), on (boot, open, capture through the worker writer to LevelDB, seal),
 * on with LMDB instead of LevelDB, and on with market-data markers, interleaved in the same run.
 */
import { join } from 'node:path';
import { runKernel, TradingKernel } from '@tapelog/kernel-app';
import type { Figure, Scenario } from '../scenario.js';
import { median } from '../stats.js';
import { callingThreadCpuMs, processCpuMs, watchGcPauses } from '../thread-cpu.js';

const SECOND = 1_000_000_000n;

interface Sample {
  messages: number;
  wallMilliseconds: number;
  entries: number;
  /** CPU time of the bus (main) thread, ms; undefined where it cannot be read. */
  busCpuMilliseconds: number | undefined;
  /** CPU time of every other thread of the process, ms. */
  otherCpuMilliseconds: number;
  /** Main-thread GC pauses, ms. */
  gcMilliseconds: number;
}

/** Runs `session` and measures its CPU time by thread and its main-thread GC pauses. */
async function measured(session: () => Promise<Omit<Sample, 'busCpuMilliseconds' | 'otherCpuMilliseconds' | 'gcMilliseconds'>>): Promise<Sample> {
  const gc = watchGcPauses();
  const bus = callingThreadCpuMs();
  const all = processCpuMs();
  const sample = await session();
  const busEnd = callingThreadCpuMs();
  const allEnd = processCpuMs();
  const busCpuMilliseconds = bus === undefined || busEnd === undefined ? undefined : busEnd - bus;
  return { ...sample, busCpuMilliseconds, otherCpuMilliseconds: allEnd - all - (busCpuMilliseconds ?? 0), gcMilliseconds: await gc.stop() };
}

/** The kernel alone: start, trade, stop; no tap on the bus. */
async function withoutStore(seed: bigint, duration: bigint): Promise<Sample> {
  return measured(async () => {
    const start = performance.now();
    const kernel = new TradingKernel({ seed });
    kernel.start();
    await kernel.runFor(duration);
    await kernel.stop();
    return { messages: kernel.statistics().messages, wallMilliseconds: performance.now() - start, entries: 0 };
  });
}

/** The whole session as `pnpm kernel run` does it, without the verify that follows the seal; LevelDB unless `lmdb`. */
async function withStore(seed: bigint, duration: bigint, baseDir: string, markers: boolean, lmdb = false): Promise<Sample> {
  const store = lmdb ? { store: `lmdb:${baseDir}` } : {};
  return measured(async () => {
    const summary = await runKernel({ seed, duration, baseDir, ...store, instanceId: 'bench', markers, verify: false, logger: () => undefined });
    if (summary.status !== 'Ended')
      throw new Error(`the kernel run ended ${summary.status}${summary.haltReason === undefined ? '' : `: ${summary.haltReason}`}`);
    return { messages: summary.messages, wallMilliseconds: summary.wallMilliseconds, entries: summary.entries };
  });
}

/** µs of `cpu` per recorded entry of `sample`. */
function perEntry(cpuMilliseconds: number, sample: Sample): number {
  return (cpuMilliseconds * 1000) / Math.max(1, sample.entries);
}

function rate(sample: Sample): number {
  return sample.messages / (sample.wallMilliseconds / 1000);
}

export const scenario: Scenario = {
  name: 'kernel',
  description: 'simulated kernel end to end: messages/s with the event store off, on (LevelDB, and LMDB), and on with markers (LevelDB, worker writer)',
  async run({ full, scratchDir }) {
    const duration = (full ? 600n : 120n) * SECOND;
    const repetitions = full ? 5 : 3;
    const off: Sample[] = [];
    const on: Sample[] = [];
    const onWithMarkers: Sample[] = [];
    const onLmdb: Sample[] = [];
    const ratios: number[] = [];
    const busPerEntry: number[] = [];
    const otherPerEntry: number[] = [];
    const gcShares: number[] = [];
    const lmdbRatios: number[] = [];
    const sessionOverheads: number[] = [];
    // A warm-up of each, then interleaved repetitions; a fresh directory (so a fresh instance) each time.
    for (let repetition = -1; repetition < repetitions; repetition++) {
      const seed = BigInt(repetition + 2);
      const offSample = await withoutStore(seed, duration);
      const onSample = await withStore(seed, duration, join(scratchDir, `on-${repetition + 1}`), false);
      const markersSample = await withStore(seed, duration, join(scratchDir, `markers-${repetition + 1}`), true);
      const lmdbSample = await withStore(seed, duration, join(scratchDir, `lmdb-${repetition + 1}`), false, true);
      // One simulated second: almost all of its wall time is boot, open, stop and seal.
      const sessionOnly = await withStore(seed, SECOND, join(scratchDir, `session-${repetition + 1}`), false);
      if (repetition < 0) continue;
      sessionOverheads.push(sessionOnly.wallMilliseconds);
      off.push(offSample);
      on.push(onSample);
      onWithMarkers.push(markersSample);
      onLmdb.push(lmdbSample);
      ratios.push(rate(onSample) / rate(offSample));
      lmdbRatios.push(rate(lmdbSample) / rate(offSample));
      if (onSample.busCpuMilliseconds !== undefined && offSample.busCpuMilliseconds !== undefined) {
        busPerEntry.push(perEntry(onSample.busCpuMilliseconds - offSample.busCpuMilliseconds, onSample));
        gcShares.push(onSample.gcMilliseconds / onSample.busCpuMilliseconds);
      }
      otherPerEntry.push(perEntry(onSample.otherCpuMilliseconds - offSample.otherCpuMilliseconds, onSample));
    }
    const messages = median(on.map((sample) => sample.messages));
    const note = `${duration / SECOND} s of simulated trading, 4 instruments, ~${Math.round(messages).toLocaleString('en-US')} bus messages per run, median of ${repetitions}`;
    const figures: Figure[] = [
      { name: 'kernel, event store off (median)', value: median(off.map(rate)), unit: 'messages/s', note: `${note}; start → stop` },
      {
        name: 'kernel, event store on (median)',
        value: median(on.map(rate)),
        unit: 'messages/s',
        note: `${note}; boot, open, trade, stop and seal, as pnpm kernel run (without its verify), in a process that ran sessions before (JIT and writer thread warm; a one-shot pnpm kernel run starts its writer thread cold)`,
      },
      {
        name: 'kernel, event store on with LMDB (median)',
        value: median(onLmdb.map(rate)),
        unit: 'messages/s',
        note: `${note}; as the LevelDB figure, with kernel run --store lmdb:<dir>`,
      },
      {
        name: 'event store on with LMDB / off (median of paired ratios)',
        value: median(lmdbRatios),
        unit: 'ratio',
        note: 'includes boot and seal, which a short run does not amortise',
      },
      { name: 'kernel, event store and markers on (median)', value: median(onWithMarkers.map(rate)), unit: 'messages/s', note },
      {
        name: 'event store on / off (median of paired ratios)',
        value: median(ratios),
        unit: 'ratio',
        target: { value: 0.5, kind: 'min', source: 'kernel throughput issue' },
        note: 'includes boot and seal, which a short run does not amortise',
      },
      {
        name: 'session overhead with the store on: a 1-second run, wall (median)',
        value: median(sessionOverheads),
        unit: 'ms',
        note: 'boot with recovery sweep, open with durable RunStarted, stop, seal with compaction',
      },
      {
        name: 'kernel, event store on, trading only (session overhead subtracted)',
        value: median(on.map((sample) => (sample.messages / Math.max(1, sample.wallMilliseconds - median(sessionOverheads))) * 1000)),
        unit: 'messages/s',
        note: 'what a long run approaches',
      },
      ...(busPerEntry.length === 0
        ? []
        : [
            {
              name: 'bus-thread CPU per recorded entry, store on minus off (median)',
              value: median(busPerEntry),
              unit: 'µs',
              target: { value: 4, kind: 'max' as const, source: 'kernel throughput issue' },
              note: 'the tap path (encode, dedup, submit) plus the session work on the main thread (boot, open, seal)',
            },
            { name: 'main-thread GC share, store on (median)', value: 100 * median(gcShares), unit: '%', note: 'GC pauses / bus-thread CPU time' },
          ]),
      {
        name: "other threads' CPU per recorded entry, store on minus off (median)",
        value: median(otherPerEntry),
        unit: 'µs',
        note: 'writer thread (decode, hash, chain, LevelDB batch), V8 GC helper threads, LevelDB and libuv threads; on 2 cores these compete with the bus thread',
      },
      {
        name: 'entries recorded per second, store on (median)',
        value: median(on.map((sample) => sample.entries / (sample.wallMilliseconds / 1000))),
        unit: 'entries/s',
        note: `~${Math.round(median(on.map((sample) => sample.entries))).toLocaleString('en-US')} entries per run`,
      },
    ];
    return {
      figures,
      details: { off, on, onWithMarkers, onLmdb, ratios, lmdbRatios, sessionOverheads, busPerEntry, otherPerEntry, gcShares, duration: duration.toString() },
    };
  },
};
