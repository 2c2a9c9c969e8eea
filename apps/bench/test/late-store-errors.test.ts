/** Late store errors: recorded while a scenario runs, instead of ending the benchmark process. */
import { expect, test } from 'vitest';
import { recordingLateStoreErrors } from '../src/late-store-errors.js';

test('a late SQLite error thrown from a callback is recorded, and the listener is gone afterwards', async () => {
  const before = process.listenerCount('uncaughtException');
  const { result, lateErrors } = await recordingLateStoreErrors(async () => {
    setImmediate(() => {
      throw Object.assign(new Error('SQLITE_BUSY: database is locked\nstack'), { code: 'SQLITE_BUSY' });
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    return 42;
  });
  expect(result).toBe(42);
  expect(lateErrors).toEqual(['SQLITE_BUSY: database is locked']);
  expect(process.listenerCount('uncaughtException')).toBe(before);
});
