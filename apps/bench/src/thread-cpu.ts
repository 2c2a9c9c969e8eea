/**
 * CPU time by thread for the end-to-end scenarios: the calling (bus) thread's own CPU time from
 * Linux's per-thread scheduler statistics, the whole process's from `process.cpuUsage` (threads
 * that already exited included), and the main thread's garbage-collection pauses. On a 2-core
 * machine the writer thread, V8's helper threads and the storage engine compete with the bus
 * thread, so what the store costs is the sum, not the bus thread alone.
 */
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';

/** The calling thread's CPU time in ms, or undefined where /proc/thread-self is not available. */
export function callingThreadCpuMs(): number | undefined {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

/** CPU time of the whole process so far, ms (user and system, every thread). */
export function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Sums the main thread's GC pauses while it is started; `stop` returns the total in ms. */
export function watchGcPauses(): { stop(): Promise<number> } {
  let total = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) total += entry.duration;
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    async stop() {
      // GC entries are delivered asynchronously, after a timer turn: let the pending ones arrive first.
      await new Promise((resolve) => setTimeout(resolve, 10));
      observer.disconnect();
      return total;
    },
  };
}
