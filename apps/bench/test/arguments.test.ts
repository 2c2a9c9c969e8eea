import { describe, expect, test } from 'vitest';
import { parseArguments } from '../src/arguments.js';

describe('parseArguments', () => {
  test('no arguments: every scenario, short mode, results written', () => {
    expect(parseArguments([])).toEqual({ full: false, names: [], write: true, help: false });
  });

  test('named scenarios do not replace the full report unless --write says so', () => {
    expect(parseArguments(['peers', '--full'])).toEqual({ full: true, names: ['peers'], write: false, help: false });
    expect(parseArguments(['peers', '--write']).write).toBe(true);
    expect(parseArguments(['--no-write']).write).toBe(false);
  });

  test('an unknown option is refused with the usage', () => {
    expect(() => parseArguments(['--fast'])).toThrow(RangeError);
    expect(() => parseArguments(['--fast'])).toThrow(expect.objectContaining({ constructor: RangeError, message: expect.stringContaining('--fast') }));
  });
});
