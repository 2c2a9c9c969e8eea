import { describe, expect, it } from 'vitest';
import { markHeadersChecked, takeHeadersChecked } from '../src/checked-headers.js';

describe('checked headers hand-off', () => {
  it('vouches for the object checked last, once', () => {
    const headers = { correlationId: '6f1c2a4e-8b7d-4c3e-9a1f-2d3e4f5a6b7c' };
    markHeadersChecked(headers);
    expect(takeHeadersChecked(headers)).toBe(true);
    expect(takeHeadersChecked(headers)).toBe(false);
  });

  it('does not vouch for another object, and forgets the checked one when asked about it', () => {
    const checked = {};
    markHeadersChecked(checked);
    expect(takeHeadersChecked({})).toBe(false);
    expect(takeHeadersChecked(checked)).toBe(false);
  });
});
