import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../src/random.js';

const draw = (random: SeededRandom, count: number) => Array.from({ length: count }, () => random.nextUint32());

describe('SeededRandom', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    expect(draw(new SeededRandom(7n), 50)).toEqual(draw(new SeededRandom(7n), 50));
    expect(draw(new SeededRandom(7n), 50)).not.toEqual(draw(new SeededRandom(8n), 50));
  });

  it('forks streams by label, independent of how much the parent drew', () => {
    const parent = new SeededRandom(99n);
    const early = draw(parent.fork('venue'), 10);
    draw(parent, 1000);
    expect(draw(parent.fork('venue'), 10)).toEqual(early);
    expect(draw(parent.fork('market'), 10)).not.toEqual(early);
  });

  it('keeps integers in range and covers the whole range', () => {
    const random = new SeededRandom(1n);
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i++) {
      const value = random.nextIntBetween(-2, 2);
      expect(value).toBeGreaterThanOrEqual(-2);
      expect(value).toBeLessThanOrEqual(2);
      seen.add(value);
    }
    expect([...seen].sort()).toEqual([-1, -2, 0, 1, 2].sort());
  });

  it('decides chances on integers, roughly at the asked rate', () => {
    const random = new SeededRandom(3n);
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (random.chance(1, 4)) hits++;
    expect(hits).toBeGreaterThan(2_200);
    expect(hits).toBeLessThan(2_800);
  });

  it('rejects seeds outside 64 bits and empty ranges', () => {
    expect(() => new SeededRandom(-1n)).toThrow(RangeError);
    expect(() => new SeededRandom(1n << 64n)).toThrow(RangeError);
    expect(() => new SeededRandom(1n).nextInt(0)).toThrow(RangeError);
    expect(() => new SeededRandom(1n).pick([])).toThrow(RangeError);
  });
});
