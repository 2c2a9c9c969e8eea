/**
 * Crash-consistency area (persistent backends with `childProvider`): a child process appends
 * and acknowledges each append to the parent as it resolves; it is killed with SIGKILL (no
 * close, no flush) and the run is reopened for recovery: every acknowledged seq must be there,
 * decodable and hash-valid, with its index row.
 */

import { startAppendChild } from '../child/spawn-child.js';
import { INSTANCE } from '../fixtures.js';
import { type CaseContext, type ConformanceOptions, defineArea, defineCase, TrackedProvider } from '../harness.js';

/** Prints why a case cannot run here and marks it skipped. */
export function skipWithReason(context: CaseContext, reason: string): void {
  console.warn(`tapelog conformance: skipped: ${reason}`);
  context.skip(reason);
}

/** The reason the crash and sync areas cannot run against this backend, or undefined. */
export function childAreasUnavailable(context: CaseContext): string | undefined {
  if (!context.provider.capabilities.persistent) return 'the backend declares persistent: false: nothing outlives its process, so there is no crash to survive';
  if (context.options.childProvider === undefined) return 'runConformance got no childProvider option, so no child process can open the backend';
  if (context.options.reopen === undefined) return 'runConformance got no reopen option';
  return undefined;
}

export function crashArea(options: ConformanceOptions): void {
  defineArea(options, 'crash', 'Crash consistency', () => {
    defineCase(options, 'every append acknowledged before a SIGKILL is there after reopening without close, hash-valid and indexed', async (context) => {
      const { expect, provider, options: suite } = context;
      const unavailable = childAreasUnavailable(context);
      if (unavailable !== undefined) return skipWithReason(context, unavailable);
      const spec = suite.childProvider!(provider.inner);
      const child = startAppendChild({ module: spec.module, options: spec.options, instanceId: INSTANCE, runId: 'run-crash', batchSize: 7, batches: 0 });
      try {
        await child.acked(12, 60_000);
      } finally {
        child.process.kill('SIGKILL');
      }
      const { signal, stderr } = await child.ended;
      expect(signal, `the append child was to be killed by SIGKILL; stderr: ${stderr}`).toBe('SIGKILL');
      const acked = Math.max(...child.acks);
      const next = new TrackedProvider(await suite.reopen!(provider.inner));
      try {
        const recovered = await next.openForRecovery(INSTANCE, 'run-crash');
        const hwm = await recovered.highWatermark();
        expect(
          hwm >= acked,
          `seq ${acked} was acknowledged before the SIGKILL but the reopened run's hwm is ${hwm}: an append may resolve only once its rows are durable, not when they are buffered`,
        ).toBe(true);
        const read = await recovered.scanRange(1, acked);
        expect(
          read.map((item) => item.seq),
          `acknowledged seqs 1..${acked} must all be readable after the crash`,
        ).toEqual(Array.from({ length: acked }, (_, i) => i + 1));
        expect(await recovered.lookup('client_order_id', `O-${acked}`), `the index row of acknowledged seq ${acked} is missing after the crash`).toBe(acked);
        await recovered.seal('CrashedRecovered');
      } finally {
        await next.closeAll();
      }
    });
  });
}
