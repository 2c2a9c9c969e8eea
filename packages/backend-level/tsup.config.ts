import { defineConfig } from 'tsup';
import { tsupBase } from '../../tooling/tsup.base.js';

// `errors` (the LevelDB error mapping) is its own entry so the LevelDB marker store shares it.
export default defineConfig({ ...tsupBase, entry: ['src/index.ts', 'src/error-mapping.ts'], splitting: true });
