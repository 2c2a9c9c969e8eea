import type { EntryDraft } from '@tapelog/core';
import { exampleFrom, firstTypeScriptBlock } from '@tapelog/test-support';
import { describe, expect, test } from 'vitest';
import type { BusTap } from '../src/index.js';
import { installCapture, OrderEvent, OrderFilled } from './fixtures/readme-example.js';

describe('the README example', () => {
  test('installs a tap that captures an order event, through its envelope, once', () => {
    const drafts: EntryDraft[] = [];
    let tap: BusTap | undefined;
    const adapter = installCapture(
      { submit: (draft) => drafts.push(draft) + 1 },
      { setTap: (installed) => (tap = installed), clearTap: () => (tap = undefined) },
    );
    const fill = { eventId: '00000000-0000-4000-8000-000000000001', clientOrderId: 'O-1', venueOrderId: 'V-1', lastQuantity: 5n };
    tap!.onPublish('events.order.O-1', new OrderEvent(new OrderFilled(fill.eventId, fill.clientOrderId, fill.venueOrderId, fill.lastQuantity)));
    tap!.onPublish('Portfolio.update_order', new OrderFilled(fill.eventId, fill.clientOrderId, fill.venueOrderId, fill.lastQuantity));
    expect(drafts.map((draft) => [draft.topic, draft.payloadType, draft.indexKeys.map((key) => key.key)])).toEqual([
      ['events.order.O-1', 'OrderFilled', ['O-1', 'V-1']],
    ]);
    expect(adapter.submitCounter?.value).toBe(2);
  });

  test('is in the README verbatim', () => {
    expect(firstTypeScriptBlock(new URL('../README.md', import.meta.url))).toBe(exampleFrom(new URL('./fixtures/readme-example.ts', import.meta.url)));
  });
});
