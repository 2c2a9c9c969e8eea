import { defineConfig } from 'tsup';
import { tsupBase } from '../../tooling/tsup.base.js';

// The reader process is its own entry: isolated recovery and restore probes run it as a child.
export default defineConfig({ ...tsupBase, entry: ['src/index.ts', 'src/reader-process-main.ts'] });
