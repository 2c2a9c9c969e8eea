import { defineConfig } from 'tsup';
import { tsupBase } from '../../tooling/tsup.base.js';

// Declarations for the library face only: the CLI entry has no importers, and skipping its
// declarations keeps the first `pnpm kernel run` build short.
export default defineConfig({ ...tsupBase, entry: ['src/index.ts', 'src/main.ts'], dts: { entry: 'src/index.ts' } });
