/** Raw SQLite through better-sqlite3: WAL with `synchronous=FULL` (set explicitly: better-sqlite3 builds WAL default NORMAL), one transaction per batch. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PeerStore } from './peer-store.js';

export const rawBetterSqlite3: PeerStore = {
  name: 'raw SQLite (better-sqlite3)',
  durability: 'journal_mode=WAL, synchronous=FULL (fsync of the WAL per commit), one transaction per batch',
  durable: true,
  async open(directory) {
    const { default: Database } = await import('better-sqlite3');
    mkdirSync(directory, { recursive: true });
    const db = new Database(join(directory, 'entries.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const mode = db.pragma('synchronous', { simple: true });
    if (mode !== 2) throw new Error(`better-sqlite3: synchronous is ${String(mode)}, expected 2 (FULL)`);
    db.exec('CREATE TABLE entries (seq INTEGER PRIMARY KEY, entry BLOB NOT NULL)');
    const insert = db.prepare('INSERT INTO entries (seq, entry) VALUES (?, ?)');
    const appendAll = db.transaction((rows: ReadonlyArray<{ seq: number; value: Buffer }>) => {
      for (const row of rows) insert.run(row.seq, row.value);
    });
    return {
      append: async (batch) => {
        appendAll(batch.rows);
      },
      close: async () => {
        db.close();
      },
    };
  },
};
