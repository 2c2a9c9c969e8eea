import { defineConfig } from 'tsup';
import { tsupBase } from '../../tooling/tsup.base.js';

// The worker script is its own entry: spawnWriter starts it from dist/worker.js beside dist/index.js.
export default defineConfig({ ...tsupBase, entry: ['src/index.ts', 'src/worker.ts'] });
