/** Raw classic-level, the floor under tapelog's backend: the same keys and values, one chained batch with `sync: true` per commit. */
import { ClassicLevel } from 'classic-level';
import type { PeerStore } from './peer-store.js';

export const rawClassicLevel: PeerStore = {
  name: 'raw classic-level',
  durability: 'chained batch written with sync: true',
  durable: true,
  async open(directory) {
    const db = new ClassicLevel<Buffer, Buffer>(directory, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await db.open();
    return {
      append: async (batch) => {
        const chained = db.batch();
        for (const row of batch.rows) chained.put(row.key, row.value);
        await chained.write({ sync: true });
      },
      close: () => db.close(),
    };
  },
};
