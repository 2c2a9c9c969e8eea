import { defineConfig } from 'tsup';
import { tsupBase } from '../../tooling/tsup.base.js';

// The verify worker is its own entry: `tapelog verify` runs it in a child process.
export default defineConfig({ ...tsupBase, entry: ['src/index.ts', 'src/bin.ts', 'src/verify-worker.ts'] });
