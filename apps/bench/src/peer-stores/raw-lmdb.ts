/**
 * Raw lmdb-js: one synchronous write transaction per batch, then a wait for `flushed`, because
 * with lmdb-js's default `overlappingSync` a commit is visible before it is on disk.
 */
import type { PeerStore } from './peer-store.js';

export const rawLmdb: PeerStore = {
  name: 'raw lmdb-js',
  durability: 'defaults (noSync: false, overlappingSync): one transactionSync per batch, then await db.flushed (fsync) before the next',
  durable: true,
  async open(directory) {
    // Imported here so that a missing native build fails this store only, not the scenario.
    const { open } = await import('lmdb');
    const db = open<Buffer, Buffer>({ path: directory, encoding: 'binary', keyEncoding: 'binary', compression: false });
    return {
      append: async (batch) => {
        db.transactionSync(() => {
          for (const row of batch.rows) db.putSync(row.key, row.value);
        });
        await db.flushed;
      },
      close: () => db.close(),
    };
  },
};
