/** Small statistics helpers for benchmarks: medians, percentiles and timing. */

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100) of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Nanoseconds elapsed while `fn` runs. */
export async function timeNs(fn: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start);
}

/** Operations per second for `count` operations in `ns` nanoseconds. */
export function perSecond(count: number, ns: number): number {
  return count / (ns / 1e9);
}

/** Runs `sample` `repetitions` times (after one warm-up) and returns every result. */
export async function repeat<T>(repetitions: number, sample: () => Promise<T> | T): Promise<T[]> {
  await sample();
  const results: T[] = [];
  for (let i = 0; i < repetitions; i++) results.push(await sample());
  return results;
}
