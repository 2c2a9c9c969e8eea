import { describe, expect, test } from 'vitest';
import { OpenRuns } from '../src/backend/index.js';

describe('OpenRuns', () => {
  test('answers the store registered at a location until that store unregisters', () => {
    const runs = new OpenRuns<{ name: string }>();
    const first = { name: 'first' };
    expect(runs.at('/runs/a')).toBeUndefined();
    runs.register('/runs/a', first);
    expect(runs.at('/runs/a')).toBe(first);
    expect(runs.at('/runs/b')).toBeUndefined();
    runs.unregister('/runs/a', first);
    expect(runs.at('/runs/a')).toBeUndefined();
  });

  test('a store that closes late does not unregister the store opened after it at the same location', () => {
    const runs = new OpenRuns<{ name: string }>();
    const stale = { name: 'stale' };
    const current = { name: 'current' };
    runs.register('/runs/a', stale);
    runs.register('/runs/a', current);
    runs.unregister('/runs/a', stale);
    expect(runs.at('/runs/a')).toBe(current);
  });
});
