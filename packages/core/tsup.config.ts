import { defineConfig } from 'tsup';
import { tsupBase } from '../../tooling/tsup.base.js';

// The entries share one copy of the codec and errors through split chunks; `reader-spawn` is its
// own entry so the `tapelog` parent process can use it without loading the rest, and
// `record-check-thread` is the script the record-check pool starts its threads from.
export default defineConfig({
  ...tsupBase,
  entry: ['src/index.ts', 'src/backend/index.ts', 'src/reader-spawn.ts', 'src/record-check-thread.ts'],
  splitting: true,
});
