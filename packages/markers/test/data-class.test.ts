import { describe, expect, it } from 'vitest';
import { DATA_CLASSES, isDataClass, parseDataClass } from '../src/data-class.js';

describe('DataClass', () => {
  it('lists the five classes in canonical order, and each name parses to itself', () => {
    expect(DATA_CLASSES).toEqual(['BookDeltas', 'BookDepth10', 'Quote', 'Trade', 'Bar']);
    for (const dataClass of DATA_CLASSES) expect(parseDataClass(dataClass)).toBe(dataClass);
  });
  it.each(['quote', '', 'Quotes', 'BookDepth'])('rejects %j with an error naming the input', (text) => {
    expect(() => parseDataClass(text)).toThrow(RangeError);
    expect(isDataClass(text)).toBe(false);
  });
});
