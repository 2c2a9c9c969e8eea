/** The README's example, run for real: boot, restore, open, capture, anchor a snapshot, seal. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EncoderRegistry, msgpackEncoder } from '@tapelog/capture';
import { type EventStoreEntry, emptyRegisteredComponents, SimulatedClock } from '@tapelog/core';
import { exampleFrom, firstTypeScriptBlock, TestBus } from '@tapelog/test-support';
import { expect, test } from 'vitest';
import { EventStoreLifecycle } from '../src/index.js';

class OrderAccepted {
  constructor(readonly clientOrderId: string) {}
}

test('the README example boots, captures, anchors and seals a run', async () => {
  const baseDir = mkdtempSync(join(tmpdir(), 'tapelog-readme-'));
  try {
    const kernelClock = new SimulatedClock(1_000n);
    const bus = new TestBus();
    const cache = {
      applied: [] as number[],
      loadSnapshot: () => undefined,
      applySnapshot: () => {},
      applyEntry: (entry: EventStoreEntry) => cache.applied.push(entry.seq) > 0,
    };

    // --- README example starts ---
    const lifecycle = await EventStoreLifecycle.boot({ baseDir }, 'trader-001', kernelClock, {
      registryFactory: () => {
        const registry = new EncoderRegistry(); // what is state-affecting, and how to encode it
        registry.register(
          OrderAccepted,
          'OrderAccepted',
          msgpackEncoder<OrderAccepted>({
            indexKeys: (event) => [{ kind: 'client_order_id', key: event.clientOrderId }],
          }),
        );
        return registry;
      },
    });
    await lifecycle.restoreParentCache(cache); // snapshot + tail of the parent run, if any
    await lifecycle.open(emptyRegisteredComponents(), { bus, environment: { clock: kernelClock } });
    bus.publish('events.order.O-1', new OrderAccepted('O-1')); // captured before any handler runs
    const anchorer = lifecycle.snapshotAnchorer()!;
    await anchorer({ blobRef: 'cache://snapshots/1', blob: new Uint8Array([1, 2, 3]) });
    const sealed = await lifecycle.seal(kernelClock.now()); // RunEnded, sealed Ended
    // --- README example ends ---

    expect(sealed?.status).toBe('Ended');
    expect(sealed?.highWatermark).toBe(3);
    expect(cache.applied).toEqual([]);
  } finally {
    rmSync(baseDir, { recursive: true, force: true });
  }
});

test('the README shows that example verbatim', () => {
  expect(firstTypeScriptBlock(new URL('../README.md', import.meta.url))).toBe(exampleFrom(new URL(import.meta.url)));
});
