/** The tsup settings every package shares: ESM for Node 20 with type declarations. */
import type { Options } from 'tsup';

export const tsupBase: Options = {
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: false,
  treeshake: true,
};
