/** Opening against a wrong URL or password fails with one clear BACKEND line that never shows the password. */
import { TapelogError } from '@tapelog/core';
import { expect, test } from 'vitest';
import { createProvider, isPostgresUrl, redactUrl } from '../src/index.js';
import { serverUrl } from './helpers.js';

async function failureOf(promise: Promise<unknown>): Promise<TapelogError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(TapelogError.isInstance(error)).toBe(true);
  return error as TapelogError;
}

test('a wrong password fails at open with one BACKEND line naming the server, never the password', async () => {
  const url = new URL(serverUrl());
  url.password = 'Wr0ng-s3cret';
  const provider = createProvider({ connectionString: url.toString() });
  try {
    const error = await failureOf(provider.listRuns('trader-001'));
    expect(error.code).toBe('BACKEND');
    expect(error.message).toMatch(/password authentication failed/);
    expect(error.message).toContain(`${url.hostname}:${url.port}`);
    expect(error.message).not.toContain('Wr0ng-s3cret');
    expect(error.message).not.toContain('\n');
  } finally {
    await provider.close();
  }
});

test('an unreachable server fails at open with BACKEND "cannot connect", not a hang', async () => {
  const provider = createProvider({ connectionString: 'postgres://someone:hunter2@127.0.0.1:1/db', connectTimeoutMs: 5_000 });
  try {
    const error = await failureOf(provider.listRuns('trader-001'));
    expect(error.code).toBe('BACKEND');
    expect(error.message).toMatch(/cannot connect to postgres:\/\/someone@127\.0\.0\.1:1\/db/);
    expect(error.message).not.toContain('hunter2');
  } finally {
    await provider.close();
  }
});

test('redactUrl drops the password and query; isPostgresUrl tells URLs from directories', () => {
  expect(redactUrl('postgres://user:secret@db.example:5433/tapelog?sslmode=require')).toBe('postgres://user@db.example:5433/tapelog');
  expect(redactUrl('not a url')).not.toContain('not a url');
  expect(isPostgresUrl('postgresql://h/db')).toBe(true);
  expect(isPostgresUrl('./runs')).toBe(false);
});

test('options are checked at construction: a schema name that is not a plain identifier is refused', () => {
  expect(() => createProvider({ connectionString: serverUrl(), schema: 'Bad"Name' })).toThrow(
    expect.objectContaining({ constructor: TypeError, message: expect.stringMatching(/schema must be/) }),
  );
  expect(() => createProvider({ connectionString: '' })).toThrow(
    expect.objectContaining({ constructor: TypeError, message: expect.stringMatching(/connectionString/) }),
  );
});
