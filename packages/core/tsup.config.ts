import { defineConfig } from 'tsup';
import { tsupBase } from '../../tooling/tsup.base.js';

// Three entries share one copy of the codec and errors through split chunks; `reader-spawn` is its
// own entry so the `tapelog` parent process can use it without loading the rest.
export default defineConfig({ ...tsupBase, entry: ['src/index.ts', 'src/backend/index.ts', 'src/reader-spawn.ts'], splitting: true });
