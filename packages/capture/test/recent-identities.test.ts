import { describe, expect, it } from 'vitest';
import { RECENT_IDENTITY_CAPACITY, RecentIdentityWindow } from '../src/recent-identities.js';

describe('RecentIdentityWindow', () => {
  it('remembers a new identity once and reports the repeat', () => {
    const window = new RecentIdentityWindow();
    expect(window.remember('a')).toBe(true);
    expect(window.remember('a')).toBe(false);
    expect(window.size).toBe(1);
  });

  it('holds 128 identities and forgets the oldest inserted first', () => {
    expect(RECENT_IDENTITY_CAPACITY).toBe(128);
    const window = new RecentIdentityWindow();
    for (let i = 0; i < 128; i++) window.remember(`id-${i}`);
    expect(window.size).toBe(128);
    expect(window.has('id-0')).toBe(true);
    window.remember('id-128');
    expect(window.size).toBe(128);
    expect(window.has('id-0')).toBe(false);
    expect(window.has('id-1')).toBe(true);
    expect(window.remember('id-0')).toBe(true);
    expect(window.has('id-1')).toBe(false);
  });

  it('does not refresh the position of an identity seen again', () => {
    const window = new RecentIdentityWindow(2);
    window.remember('a');
    window.remember('b');
    expect(window.remember('a')).toBe(false);
    window.remember('c');
    expect(window.has('a')).toBe(false);
    expect(window.has('b')).toBe(true);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new RecentIdentityWindow(0)).toThrow(RangeError);
  });
});
