import { defineConfig } from 'tsup';
import { tsupBase } from '../../tooling/tsup.base.js';

// `reader-spawn` is also its own entry, so the `tapelog` parent process can use it without loading the rest.
export default defineConfig({ ...tsupBase, entry: ['src/index.ts', 'src/reader-spawn.ts'] });
