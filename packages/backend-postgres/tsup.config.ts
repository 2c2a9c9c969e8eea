import { defineConfig } from 'tsup';
import { tsupBase } from '../../tooling/tsup.base.js';

// `connection-url` is its own entry so command-line tools can parse and redact URLs without loading pg.
export default defineConfig({ ...tsupBase, entry: ['src/index.ts', 'src/connection-url.ts'] });
