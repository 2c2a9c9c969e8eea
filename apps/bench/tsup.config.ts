import { defineConfig } from 'tsup';
import { tsupBase } from '../../tooling/tsup.base.js';

export default defineConfig({
  ...tsupBase,
  entry: ['src/index.ts', 'src/main.ts', 'src/fuzz-main.ts', 'src/fuzz/fuzz-read-main.ts', 'src/scenarios/*.ts'],
  dts: false,
  splitting: true,
});
