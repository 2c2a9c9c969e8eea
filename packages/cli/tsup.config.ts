import { defineConfig } from 'tsup';
import { tsupBase } from '../../tooling/tsup.base.js';

// The verify, command and high-watermark workers are their own entries (commands run them in child processes), and
// so is the Parquet writer thread of `tapelog export`. Splitting keeps the commands in chunks loaded
// on first use, so the parent `tapelog` process, which only spawns a worker, starts without loading
// any backend.
export default defineConfig({
  ...tsupBase,
  splitting: true,
  entry: ['src/index.ts', 'src/bin.ts', 'src/verify-worker.ts', 'src/command-worker.ts', 'src/high-watermark-worker.ts', 'src/parquet-writer-thread.ts'],
});
