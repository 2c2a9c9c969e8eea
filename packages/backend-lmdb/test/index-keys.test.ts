/** LMDB bounds key sizes: an index key too long for it is refused as bad input, before anything of its batch lands. */
import { expect, test } from 'vitest';
import { createProvider } from '../src/index.js';
import { entriesFrom, manifestFor, rejectionOf, temporaryDirectory } from './helpers.js';

test('an index key longer than LMDB stores is INVALID_ARGUMENT, and nothing of its batch lands', async () => {
  const directory = temporaryDirectory('tapelog-lmdb-long-key-');
  const store = await createProvider({ baseDir: directory.path }).openRun(manifestFor('run-1'));
  const [first, second] = entriesFrom(1, 2);
  const longKey = { ...second!, indexKeys: [{ kind: 'client_order_id', key: 'k'.repeat(3000) }] };
  const error = await rejectionOf(store.appendBatch([first!, longKey]));
  expect(error.code).toBe('INVALID_ARGUMENT');
  expect(await store.highWatermark()).toBe(0);
  expect(await store.appendBatch(entriesFrom(1, 2))).toBe(2);
  await store.close();
  directory.remove();
});
