/** The per-thread CPU accounting the kernel scenario reports. */
import { expect, test } from 'vitest';
import { callingThreadCpuMs, processCpuMs, watchGcPauses } from '../src/thread-cpu.js';

test('a busy calling thread shows in its own CPU time, which the process total includes', () => {
  // Linux only (the scenarios run there).
  // The wall clock starts first, so everything the thread runs from its first reading on lies inside it.
  const wallStart = performance.now();
  const thread = callingThreadCpuMs();
  expect(thread).toBeTypeOf('number');
  const processStart = processCpuMs();
  // Spins until this thread has run 40 ms, however loaded the machine (bounded by 20 s of wall time).
  while (callingThreadCpuMs()! - thread! < 40 && performance.now() - wallStart < 20_000) Math.sqrt(Math.random());
  const threadUsed = callingThreadCpuMs()! - thread!;
  const processUsed = processCpuMs() - processStart;
  expect(threadUsed).toBeGreaterThanOrEqual(40);
  // Its own time, not the process's: never more than the wall time it spun, give or take 5 ms
  // (the scheduler's clock and performance.now are different clocks; measured skew up to ~1.4 ms).
  expect(threadUsed).toBeLessThanOrEqual(performance.now() - wallStart + 5);
  expect(processUsed).toBeGreaterThanOrEqual(threadUsed - 10);
});

test('GC pauses of the main thread are summed while watched', async () => {
  const watch = watchGcPauses();
  let keep: unknown[] = [];
  for (let round = 0; round < 40; round++) keep = Array.from({ length: 50_000 }, (_, i) => ({ i, text: `row ${i}` }));
  const paused = await watch.stop();
  expect(keep.length).toBe(50_000);
  expect(paused).toBeGreaterThan(0);
});
