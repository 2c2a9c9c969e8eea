import { defineConfig } from 'tsup';
import { tsupBase } from '../../tooling/tsup.base.js';

// The verify worker (a child process of `tapelog verify`) and the Parquet writer thread of `tapelog export` are entries of their own.
export default defineConfig({ ...tsupBase, entry: ['src/index.ts', 'src/bin.ts', 'src/verify-worker.ts', 'src/parquet-writer-thread.ts'] });
