/**
 * Emmett's SQLite event store (`@event-driven-io/emmett-sqlite`, on node-sqlite3) as a user
 * would run it: `appendToStream` of the whole batch to one stream, which is one transaction.
 * It opens a connection per operation and sets WAL; synchronous stays SQLite's default, checked
 * to be FULL at open.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { emmettEvents, prepareEmmettEvents } from './emmett-events.js';
import type { PeerStore } from './peer-store.js';

export const emmettSqlite: PeerStore = {
  name: 'Emmett SQLite event store',
  durability:
    'journal_mode=WAL, synchronous=FULL (node-sqlite3 default, checked), one transaction per appendToStream; a connection per operation, as Emmett does',
  durable: true,
  prepare: prepareEmmettEvents,
  async open(directory) {
    const { getSQLiteEventStore, sqliteConnection } = await import('@event-driven-io/emmett-sqlite');
    mkdirSync(directory, { recursive: true });
    const fileName = join(directory, 'events.sqlite');
    const probe = sqliteConnection({ fileName });
    const [row] = await probe.query<{ synchronous: number }>('PRAGMA synchronous');
    probe.close();
    if (row?.synchronous !== 2) throw new Error(`Emmett SQLite: synchronous is ${String(row?.synchronous)}, expected 2 (FULL)`);
    const store = getSQLiteEventStore({ fileName });
    // Creates the schema outside the timing, on a stream of its own.
    await store.appendToStream('warm-up', [{ type: 'OrderFilled', data: { seq: 0, entry: '' } }]);
    return {
      append: async (batch) => {
        await store.appendToStream('run-bench', emmettEvents(batch));
      },
      close: async () => undefined,
    };
  },
};
