import { describe, expect, it } from 'vitest';
import { CaptureCounter } from '../src/capture-counter.js';
import { QuoteTick } from '../src/messages/market-data.js';
import { OrderFilled } from '../src/messages/order-events.js';
import { TimeEvent } from '../src/messages/time-event.js';
import { buildKernelRegistry } from '../src/registry.js';

const A = '11111111-1111-4111-8111-111111111111';

describe('CaptureCounter', () => {
  it('counts registered messages once per identity, identity-less ones every time, market data never', () => {
    const counter = new CaptureCounter(buildKernelRegistry(), 1);
    const fill = new OrderFilled(A, A, undefined, 'T', 'S', 'AAPL.SIM', 'O-1', 'V-1', 'SIM-001', 'T-1', 'BUY', 'LIMIT', 1n, 1n, 0n, 'USD', 'TAKER', 1n, 1n);
    expect(counter.observe(fill)).toBe(true);
    expect(counter.observe(fill)).toBe(false);
    expect(counter.observe(new QuoteTick('AAPL.SIM', 1n, 2n, 1n, 1n, 1n, 1n))).toBe(false);
    expect(counter.observe(new TimeEvent('t', A, 1n, 1n))).toBe(true);
    expect(counter.observe(new TimeEvent('t', A, 1n, 1n))).toBe(true);
    expect(counter.count).toBe(4);
  });
});
