/** tapelog's LMDB backend: `appendBatch` on a fresh run, the product being measured. */
import { createProvider } from '@tapelog/backend-lmdb';
import { tapelogPeerStore } from './tapelog-store.js';

export const tapelogLmdb = tapelogPeerStore(
  'tapelog appendBatch (LMDB)',
  'one LMDB write transaction per appendBatch, acknowledged once lmdb-js reports it flushed (fdatasync), before the high-watermark moves',
  createProvider,
);
