import { defineConfig } from 'tsup';
import { tsupBase } from '../../tooling/tsup.base.js';

// The marker-store suite is a subpath of its own; the append child of the crash and sync-audit
// areas runs as a script of its own.
export default defineConfig({ ...tsupBase, entry: ['src/index.ts', 'src/marker-stores/index.ts', 'src/child/append-child.ts'] });
