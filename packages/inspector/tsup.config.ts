import { build } from 'esbuild';
import { defineConfig } from 'tsup';
import { tsupBase } from '../../tooling/tsup.base.js';

// Three Node entries (the server and the two child processes it starts), then the page: one
// browser bundle with Preact and uPlot inside (`dist/page/app.js` and `app.css`), so the served
// page fetches nothing from anywhere else. The page is bundled after the Node build has cleaned
// `dist`, never alongside it.
export default defineConfig({
  ...tsupBase,
  entry: ['src/index.ts', 'src/reader-process.ts', 'src/verify-process.ts'],
  async onSuccess() {
    await build({
      entryPoints: { app: 'src/page/main.tsx' },
      outdir: 'dist/page',
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      jsx: 'automatic',
      jsxImportSource: 'preact',
      logLevel: 'warning',
    });
  },
});
