import { describe, expect, it } from 'vitest';
import { parseArguments, parseDuration, UsageError } from '../src/cli-arguments.js';

describe('parseArguments', () => {
  it('reads every flag of kernel run', () => {
    const { options, json } = parseArguments([
      'run',
      '--seed',
      '42',
      '--instruments',
      '3',
      '--duration',
      '2m',
      '--base',
      '/tmp/x',
      '--instance',
      'desk-7',
      '--markers',
      '--replay-from',
      '1-abcdef01',
      '--crash-after',
      '500',
      '--realtime',
      '--writer',
      'inline',
      '--json',
    ]);
    expect(options).toEqual({
      seed: 42n,
      instruments: 3,
      duration: 120_000_000_000n,
      baseDir: '/tmp/x',
      instanceId: 'desk-7',
      markers: true,
      replayFromRunId: '1-abcdef01',
      crashAfter: 500,
      realtime: true,
      writer: 'inline',
    });
    expect(json).toBe(true);
  });

  it('--store takes a PostgreSQL URL as the store, or a directory as --base does', () => {
    expect(parseArguments(['run', '--store', 'postgres://u:p@db/tapelog?schema=desk']).options).toEqual({ store: 'postgres://u:p@db/tapelog?schema=desk' });
    expect(parseArguments(['run', '--store', '/tmp/runs']).options).toEqual({ baseDir: '/tmp/runs' });
    expect(parseArguments(['run', '--store', 'lmdb:/tmp/fast']).options).toEqual({ store: 'lmdb:/tmp/fast', baseDir: '/tmp/fast' });
  });

  it('leaves defaults to the runner when no flag is given', () => {
    expect(parseArguments(['run'])).toEqual({ options: {}, json: false, replayOnly: false });
    expect(parseArguments(['run', '--replay-from', 'r-1', '--replay-only']).replayOnly).toBe(true);
    expect(() => parseArguments(['run', '--replay-only'])).toThrow(UsageError);
    expect(() => parseArguments(['run', '--replay-only'])).toThrow(
      expect.objectContaining({ constructor: UsageError, message: expect.stringContaining('--replay-only needs --replay-from') }),
    );
  });

  it('refuses what it cannot use, saying what to type instead', () => {
    expect(() => parseArguments([])).toThrow(UsageError);
    expect(() => parseArguments(['walk'])).toThrow(UsageError);
    expect(() => parseArguments(['walk'])).toThrow(expect.objectContaining({ constructor: UsageError, message: expect.stringMatching(/the command is run/) }));
    expect(() => parseArguments(['run', '--seed', '-1'])).toThrow(UsageError);
    expect(() => parseArguments(['run', '--seed', '-1'])).toThrow(
      expect.objectContaining({ constructor: UsageError, message: expect.stringMatching(/unsigned 64-bit/) }),
    );
    expect(() => parseArguments(['run', '--instruments', '9'])).toThrow(UsageError);
    expect(() => parseArguments(['run', '--instruments', '9'])).toThrow(
      expect.objectContaining({ constructor: UsageError, message: expect.stringMatching(/at most 8/) }),
    );
    expect(() => parseArguments(['run', '--crash-after', '0'])).toThrow(UsageError);
    expect(() => parseArguments(['run', '--crash-after', '0'])).toThrow(
      expect.objectContaining({ constructor: UsageError, message: expect.stringMatching(/at least 1/) }),
    );
    expect(() => parseArguments(['run', '--base'])).toThrow(UsageError);
    expect(() => parseArguments(['run', '--base'])).toThrow(
      expect.objectContaining({ constructor: UsageError, message: expect.stringMatching(/needs a value/) }),
    );
    expect(() => parseArguments(['run', '--writer', 'fast'])).toThrow(UsageError);
    expect(() => parseArguments(['run', '--writer', 'fast'])).toThrow(
      expect.objectContaining({ constructor: UsageError, message: expect.stringMatching(/worker or inline/) }),
    );
    expect(() => parseArguments(['run', '--nope'])).toThrow(UsageError);
    expect(() => parseArguments(['run', '--nope'])).toThrow(
      expect.objectContaining({ constructor: UsageError, message: expect.stringMatching(/unknown option/) }),
    );
  });
});

describe('parseDuration', () => {
  it('reads units and fractions into nanoseconds', () => {
    expect(parseDuration('90s')).toBe(90_000_000_000n);
    expect(parseDuration('500ms')).toBe(500_000_000n);
    expect(parseDuration('1.5s')).toBe(1_500_000_000n);
    expect(parseDuration('30')).toBe(30_000_000_000n);
    expect(() => parseDuration('soon')).toThrow(UsageError);
    expect(() => parseDuration('soon')).toThrow(expect.objectContaining({ constructor: UsageError, message: expect.stringMatching(/90s, 2m or 500ms/) }));
    expect(() => parseDuration('0s')).toThrow(UsageError);
    expect(() => parseDuration('0s')).toThrow(expect.objectContaining({ constructor: UsageError, message: expect.stringMatching(/positive/) }));
  });
});
