import { describe, expect, it } from 'vitest';
import { SubmitCounter } from '../src/submit-counter.js';

describe('SubmitCounter', () => {
  it('starts at its seed and counts up', () => {
    const counter = new SubmitCounter(1);
    expect(counter.increment()).toBe(2);
    expect(counter.value).toBe(2);
    expect(new SubmitCounter().value).toBe(0);
    expect(() => new SubmitCounter(-1)).toThrow(RangeError);
  });
});
