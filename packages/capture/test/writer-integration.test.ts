import { createProvider } from '@tapelog/backend-memory';
import { INDEX_KIND_CLIENT_ORDER_ID, INDEX_KIND_VENUE_ORDER_ID, newManifest, runEndedDraft, SimulatedClock, verifyEntryHash } from '@tapelog/core';
import { TestBus } from '@tapelog/test-support';
import { createInlineWriter } from '@tapelog/writer';
import { describe, expect, it } from 'vitest';
import { BusCaptureAdapter } from '../src/adapter.js';
import { createEventStoreTap } from '../src/event-store-tap.js';
import type { CaptureHaltReason } from '../src/halt-reason.js';
import { decodeMsgpackPayload } from '../src/msgpack-encoder.js';
import { SubmitCounter } from '../src/submit-counter.js';
import { CAUSATION_ID, CORRELATION_ID, OrderEventEnvelope, orderRegistry, QuoteTick, sampleFill, sampleSubmit } from './fixtures/messages.js';

async function openWriter() {
  const clock = new SimulatedClock(1_000n);
  const store = await createProvider().openRun(newManifest({ runId: 'run-capture', instanceId: 'trader-001', startTsInit: 0n }));
  const writer = await createInlineWriter({ store, clock });
  return { clock, store, writer };
}

describe('capture into the inline writer over the memory backend', () => {
  it('records command, event and envelope end to end, indexed, hashed and deduped', async () => {
    const { clock, store, writer } = await openWriter();
    const halts: CaptureHaltReason[] = [];
    const counter = new SubmitCounter();
    const adapter = new BusCaptureAdapter(writer, orderRegistry(), (reason) => halts.push(reason), { submitCounter: counter });
    const bus = new TestBus();
    bus.setTap(createEventStoreTap({ adapter, clock }));
    const submittedSeenByHandler: number[] = [];
    bus.subscribe('events.order.S-001', () => submittedSeenByHandler.push(counter.value));

    const fill = sampleFill();
    bus.send('ExecEngine.execute', sampleSubmit());
    clock.advance(10n);
    bus.send('Portfolio.update_order', new OrderEventEnvelope(fill));
    bus.publish('events.order.S-001', new OrderEventEnvelope(fill));
    bus.publish('data.quotes.X', new QuoteTick('X', '1', '2'));
    await writer.waitForDurable(2);

    expect(writer.highWatermark).toBe(2);
    expect(counter.value).toBe(2);
    expect(submittedSeenByHandler).toEqual([2]);
    const entries = await store.scanRange(1, 2);
    expect(entries.map((entry) => [entry.seq, entry.topic, entry.payloadType, entry.tsInit])).toEqual([
      [1, 'ExecEngine.execute', 'SubmitOrder', 1_000n],
      [2, 'Portfolio.update_order', 'OrderFilled', 1_010n],
    ]);
    expect(entries[0]!.headers).toEqual({ correlationId: CORRELATION_ID, causationId: CAUSATION_ID });
    expect(decodeMsgpackPayload(entries[1]!.payload)).toEqual({ ...fill });
    for (const entry of entries) expect(verifyEntryHash(entry)).toBe(true);
    expect(await store.lookup(INDEX_KIND_CLIENT_ORDER_ID, 'O-1')).toBe(1);
    expect(await store.lookup(INDEX_KIND_VENUE_ORDER_ID, 'V-9')).toBe(2);

    const manifest = await writer.close(runEndedDraft(clock.now()));
    expect(manifest.status).toBe('Ended');
    expect(manifest.highWatermark).toBe(3);
    expect(halts).toEqual([]);
  });

  it('halts once when the writer refuses a submit, then short-circuits', async () => {
    const { clock, writer } = await openWriter();
    await writer.close(runEndedDraft(clock.now()));
    const halts: CaptureHaltReason[] = [];
    const adapter = new BusCaptureAdapter(writer, orderRegistry(), (reason) => halts.push(reason));
    expect(() => adapter.capture('t', sampleSubmit(), {}, 1n)).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    expect(() => adapter.capture('t', sampleFill(), {}, 2n)).toThrow(expect.objectContaining({ code: 'HALTED' }));
    expect(halts).toEqual([{ kind: 'BackendError', message: 'event store writer closed' }]);
  });
});
