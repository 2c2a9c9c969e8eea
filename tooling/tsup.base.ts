/**
 * The tsup settings every package shares: ESM for Node 20 with type declarations. No source maps:
 * the packages ship only `dist/`, and a map pointing at sources that are not there helps nobody.
 */
import type { Options } from 'tsup';

export const tsupBase: Options = {
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: true,
  sourcemap: false,
  clean: true,
  splitting: false,
  treeshake: true,
};
