/** The README's example, run for real: boot, restore, open, capture, anchor a snapshot, seal. */
import { type EventStoreEntry, SimulatedClock } from '@tapelog/core';
import { exampleFrom, firstTypeScriptBlock, TestBus, temporaryDirectory } from '@tapelog/test-support';
import { expect, test } from 'vitest';
import { tradingSession } from './fixtures/readme-example.js';

test('the README example boots, captures, anchors and seals a run', async () => {
  const applied: number[] = [];
  const cache = {
    loadSnapshot: () => undefined,
    applySnapshot: () => {},
    applyEntry: (entry: EventStoreEntry) => applied.push(entry.seq) > 0,
  };
  const sealed = await tradingSession(temporaryDirectory('tapelog-readme-'), new SimulatedClock(1_000n), new TestBus(), cache);
  expect(sealed?.status).toBe('Ended');
  expect(sealed?.highWatermark).toBe(3);
  expect(applied).toEqual([]);
});

test('the README shows that example verbatim', () => {
  expect(firstTypeScriptBlock(new URL('../README.md', import.meta.url))).toBe(exampleFrom(new URL('fixtures/readme-example.ts', import.meta.url)));
});
