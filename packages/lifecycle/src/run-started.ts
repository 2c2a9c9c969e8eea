/**
 * Submitting RunStarted (the encoded registered components, seq 1) and waiting until it is
 * durable: a run is open only once its first entry is on disk.
 */
import { type EntryDraft, encodeRecord, type RegisteredComponents, RUN_STARTED_PAYLOAD_TYPE, RUN_STARTED_TOPIC, TapelogError } from '@tapelog/core';
import { describeHaltReason, type EventStoreWriter } from '@tapelog/writer';
import type { HaltSignal } from './halt-signal.js';

export function runStartedDraft(components: RegisteredComponents, tsInit: bigint): EntryDraft {
  return {
    headers: {},
    topic: RUN_STARTED_TOPIC,
    payloadType: RUN_STARTED_PAYLOAD_TYPE,
    payload: encodeRecord(components),
    tsInit,
    indexKeys: [],
  };
}

const POLL_MS = 1;

/**
 * Submits RunStarted straight to the writer (no adapter: no dedup, no submit counter) and polls
 * until the hwm moves. A halt is checked before the timeout on every pass; elapsed time is wall
 * time, because the writer drives durability, not the simulated clock.
 */
export async function submitRunStarted(writer: EventStoreWriter, draft: EntryDraft, signal: HaltSignal, timeoutMs: number, runId: string): Promise<void> {
  try {
    writer.submit(draft);
  } catch (error) {
    // A refused submit carries its code (CLOSED, HALT_SIGNALED); keep it.
    const code = TapelogError.isInstance(error) ? error.code : 'BACKEND';
    throw new TapelogError(code, `RunStarted submit failed for run ${runId}: ${(error as Error).message}`, { cause: error });
  }
  const started = performance.now();
  while (writer.highWatermark === 0) {
    if (signal.isHalted) {
      const reason = signal.reason ? describeHaltReason(signal.reason) : 'event store halted during boot';
      throw new TapelogError('HALTED', `event store halted during boot of run ${runId}: ${reason}`);
    }
    if (performance.now() - started >= timeoutMs) {
      throw new TapelogError('TIMEOUT', `RunStarted did not durably commit within ${timeoutMs} ms (run ${runId})`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
