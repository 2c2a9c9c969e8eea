import { isCanonicalUuid4 } from '@tapelog/core';
import { describe, expect, it } from 'vitest';
import { IdGenerator, SequentialIds } from '../src/id-generator.js';
import { SeededRandom } from '../src/random.js';

describe('IdGenerator', () => {
  it('draws canonical version-4 UUID text, valid as tapelog headers', () => {
    const ids = new IdGenerator(new SeededRandom(5n));
    for (let i = 0; i < 500; i++) expect(isCanonicalUuid4(ids.uuid())).toBe(true);
  });

  it('draws the same ids for the same seed', () => {
    const first = new IdGenerator(new SeededRandom(5n));
    const second = new IdGenerator(new SeededRandom(5n));
    const a = Array.from({ length: 20 }, () => first.uuid());
    expect(Array.from({ length: 20 }, () => second.uuid())).toEqual(a);
    expect(new Set(a).size).toBe(20);
  });
});

describe('SequentialIds', () => {
  it('counts from one and continues past ids that already exist', () => {
    const ids = new SequentialIds('O-MM-001');
    expect(ids.next()).toBe('O-MM-001-1');
    ids.skipPast(['O-MM-001-7', 'O-MOM-001-40', 'O-MM-001-3', 'O-MM-001-x']);
    expect(ids.next()).toBe('O-MM-001-8');
  });
});
