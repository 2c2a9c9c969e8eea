/**
 * The disk itself: the same entry bytes appended to one file, one `fdatasync` per batch. No
 * store can make a batch durable with less work, so this is the ceiling every durable store is
 * measured against.
 */
import { closeSync, fdatasyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { PeerStore } from './peer-store.js';

export const rawFileFdatasync: PeerStore = {
  name: 'raw file + fdatasync',
  durability: 'the batch appended to one file, then one fdatasync before the next',
  durable: true,
  async open(directory) {
    mkdirSync(directory, { recursive: true });
    const fd = openSync(join(directory, 'log'), 'a');
    return {
      append: async (batch) => {
        const bytes = Buffer.concat(batch.rows.map((row) => row.value));
        for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
        fdatasyncSync(fd);
      },
      close: async () => closeSync(fd),
    };
  },
};
