/** tapelog's LevelDB backend: `appendBatch` on a fresh run, the product being measured. */
import { createProvider } from '@tapelog/backend-level';
import { tapelogPeerStore } from './tapelog-store.js';

export const tapelogLevel = tapelogPeerStore(
  'tapelog appendBatch (LevelDB)',
  'one LevelDB batch per appendBatch, written with sync: true, before the high-watermark moves',
  createProvider,
);
