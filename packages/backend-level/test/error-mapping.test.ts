/** How storage failures become TapelogErrors (the RB-* classification tests, in Node terms). */
import { isDiskPressure, TapelogError } from '@tapelog/core';
import { describe, expect, test } from 'vitest';
import { mapStorageError } from '../src/error-mapping.js';

function errno(code: string, message = `${code}: something happened`): Error {
  return Object.assign(new Error(message), { code });
}

describe('disk pressure', () => {
  test.each(['ENOSPC', 'EFBIG', 'EDQUOT'])('%s is disk pressure and maps to DISK naming the run', (code) => {
    expect(isDiskPressure(errno(code))).toBe(true);
    const mapped = mapStorageError(errno(code), 'append to run', '/data/run-1.level');
    expect(mapped.code).toBe('DISK');
    expect(mapped.message).toContain('/data/run-1.level');
  });

  test.each(['EIO', 'ENOENT', 'EACCES', 'EPERM', 'EINTR'])('%s is not disk pressure and maps to BACKEND', (code) => {
    expect(isDiskPressure(errno(code))).toBe(false);
    expect(mapStorageError(errno(code), 'append to run', '/data/run-1.level').code).toBe('BACKEND');
  });

  test('LevelDB reports ENOSPC as text inside a wrapped cause', () => {
    const cause = Object.assign(new Error('IO error: /data/run-1.level/000005.log: No space left on device'), { code: 'LEVEL_IO_ERROR' });
    const wrapped = Object.assign(new Error('Database failed to open', { cause }), { code: 'LEVEL_DATABASE_NOT_OPEN' });
    expect(mapStorageError(wrapped, 'open', '/data/run-1.level').code).toBe('DISK');
  });
});

test('LevelDB corruption maps to CORRUPTED and keeps the LevelDB text', () => {
  const error = Object.assign(new Error('Corruption: boom'), { code: 'LEVEL_CORRUPTION' });
  const mapped = mapStorageError(error, 'scan', '/data/run-1.level');
  expect(mapped.code).toBe('CORRUPTED');
  expect(mapped.message).toContain('boom');
  expect(mapped.message).toContain('/data/run-1.level');
});

test('a locked run maps to RUN_ALREADY_OPEN naming the run', () => {
  const cause = Object.assign(new Error('IO error: lock /data/run-1.level/LOCK: already held by process'), { code: 'LEVEL_LOCKED' });
  const mapped = mapStorageError(
    Object.assign(new Error('Database failed to open', { cause }), { code: 'LEVEL_DATABASE_NOT_OPEN' }),
    'open',
    '/data/run-1.level',
  );
  expect(mapped.code).toBe('RUN_ALREADY_OPEN');
  expect(mapped.message).toContain('/data/run-1.level');
});

test('TapelogErrors pass through unchanged; anything else is BACKEND', () => {
  const original = new TapelogError('GAP', 'gap');
  expect(mapStorageError(original, 'scan', '/x')).toBe(original);
  expect(mapStorageError(new Error('weird'), 'scan', '/x').code).toBe('BACKEND');
  expect(mapStorageError('not even an error', 'scan', '/x').code).toBe('BACKEND');
});
