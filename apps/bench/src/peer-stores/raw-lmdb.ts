/**
 * Raw lmdb-js, used as its README shows: one row per entry, one synchronous write transaction per
 * batch, then a wait for `flushed`. A `transactionSync` commit already fsyncs before it returns
 * (strace: one fdatasync per commit), so the wait costs nothing; it keeps the store durable even
 * under lmdb-js's overlapping sync, where other commits are visible before they are on disk.
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
