/** The backend a store argument names: PostgreSQL URLs get the PostgreSQL provider and a worker module spec, `lmdb:` directories LMDB, other directories LevelDB. */
import { expect, test } from 'vitest';
import { backendForStore, levelBackend } from '../src/backend-choice.js';

const config = { baseDir: '/tmp/unused' };

test('a postgres:// store opens the PostgreSQL provider and hands the worker the same plain options, schema split off', async () => {
  const choice = backendForStore('postgres://desk:s3cret@db.example:5433/trading?schema=desk_a')(config);
  expect(choice.provider.name).toBe('postgres');
  expect(choice.module?.module).toMatch(/backend-postgres/);
  expect(choice.module?.options).toEqual({ connectionString: 'postgres://desk:s3cret@db.example:5433/trading', schema: 'desk_a' });
  await (choice.provider as unknown as { close(): Promise<void> }).close();
});

test('anything else is the LevelDB backend under baseDir', () => {
  expect(backendForStore('./event_store')).toBe(levelBackend);
  expect(backendForStore('./event_store')(config).provider.name).toBe('level');
});

test('an lmdb:<dir> store is the LMDB backend under that directory, rebuilt in the worker from the same directory', () => {
  const choice = backendForStore('lmdb:/tmp/fast-runs')(config);
  expect(choice.provider.name).toBe('lmdb');
  expect(choice.module?.module).toMatch(/backend-lmdb/);
  expect(choice.module?.options).toEqual({ baseDir: '/tmp/fast-runs' });
});
