import { defineConfig } from 'tsup';
import { tsupBase } from '../../tooling/tsup.base.js';

// Two entries share one copy of the codec and errors through split chunks.
export default defineConfig({ ...tsupBase, entry: ['src/index.ts', 'src/backend/index.ts'], splitting: true });
