import { describe, expect, test } from 'vitest';
import { AREAS, runConformance } from '../src/index.js';

function collectNames(run: (options: Parameters<typeof runConformance>[0]) => void): string[] {
  const names: string[] = [];
  const path: string[] = [];
  run({
    describe: (name, body) => {
      path.push(name);
      body();
      path.pop();
    },
    test: (name) => names.push([...path, name].join(' > ')),
    factory: () => {
      throw new Error('registration only');
    },
  });
  return names;
}

describe('suite registration', () => {
  test('every case has a unique full name', () => {
    const names = collectNames(runConformance);
    expect(names.length).toBeGreaterThan(60);
    expect(new Set(names).size).toBe(names.length);
  });

  test('every area registers cases under its own describe block and can run alone', () => {
    for (const area of AREAS) {
      const names = collectNames(area);
      expect(names.length, area.name).toBeGreaterThan(0);
      const blocks = new Set(names.map((name) => name.split(' > ')[0]));
      expect(blocks.size, area.name).toBe(1);
    }
  });
});
