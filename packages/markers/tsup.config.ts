import { defineConfig } from 'tsup';
import { tsupBase } from '../../tooling/tsup.base.js';

// The application entry and the `store` subpath for store authors share code through split chunks.
export default defineConfig({ ...tsupBase, entry: ['src/index.ts', 'src/store.ts'], splitting: true });
