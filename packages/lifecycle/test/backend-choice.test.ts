/**
 * The backend a store argument names: PostgreSQL URLs get the PostgreSQL provider and a worker
 * module spec, `lmdb:` directories LMDB, other directories LevelDB. Backends are optional peers:
 * a missing one fails with PACKAGE_NOT_INSTALLED naming the package.
 */
import { TapelogError } from '@tapelog/core';
import { temporaryDirectory } from '@tapelog/test-support';
import { expect, test } from 'vitest';
import { backendForStore, levelBackend, levelBackendFrom } from '../src/backend-choice.js';
import { loadOptionalPackage } from '../src/optional-package.js';
import { boot } from './fixtures/boot.js';

const config = { baseDir: '/tmp/unused' };

/** What Node's `import()` rejects with when a package is not installed. */
function notFound(packageName: string): Error {
  return Object.assign(new Error(`Cannot find package '${packageName}' imported from /app/node_modules/@tapelog/lifecycle/dist/index.js`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
}

test('a postgres:// store opens the PostgreSQL provider and hands the worker the same plain options, schema split off', async () => {
  const choice = await backendForStore('postgres://desk:s3cret@db.example:5433/trading?schema=desk_a')(config);
  expect(choice.provider.name).toBe('postgres');
  expect(choice.module?.module).toMatch(/backend-postgres/);
  expect(choice.module?.options).toEqual({ connectionString: 'postgres://desk:s3cret@db.example:5433/trading', schema: 'desk_a' });
  await (choice.provider as unknown as { close(): Promise<void> }).close();
});

test('anything else is the LevelDB backend under baseDir', async () => {
  expect(backendForStore('./event_store')).toBe(levelBackend);
  expect((await backendForStore('./event_store')(config)).provider.name).toBe('level');
});

test('an lmdb:<dir> store is the LMDB backend under that directory, rebuilt in the worker from the same directory', async () => {
  const choice = await backendForStore('lmdb:/tmp/fast-runs')(config);
  expect(choice.provider.name).toBe('lmdb');
  expect(choice.module?.module).toMatch(/backend-lmdb/);
  expect(choice.module?.options).toEqual({ baseDir: '/tmp/fast-runs' });
});

test('without @tapelog/backend-level installed, booting on LevelDB fails with PACKAGE_NOT_INSTALLED naming the package', async () => {
  const missing = levelBackendFrom(() => Promise.reject(notFound('@tapelog/backend-level')));
  const booting = boot({ baseDir: temporaryDirectory('tapelog-lifecycle-') }, { openBackend: missing });
  await expect(booting).rejects.toSatisfy((error: unknown) => TapelogError.hasCode(error, 'PACKAGE_NOT_INSTALLED'));
  await expect(booting).rejects.toMatchObject({ detail: '@tapelog/backend-level' });
});

test('a load failure that is not the package missing (one of its own dependencies, a broken build) passes through unchanged', async () => {
  const inner = notFound('classic-level');
  await expect(loadOptionalPackage('@tapelog/backend-level', 'the LevelDB backend', () => Promise.reject(inner))).rejects.toBe(inner);
  const broken = new SyntaxError('Unexpected token');
  await expect(loadOptionalPackage('@tapelog/backend-level', 'the LevelDB backend', () => Promise.reject(broken))).rejects.toBe(broken);
});
