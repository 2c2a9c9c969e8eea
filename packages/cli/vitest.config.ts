import { defineConfig } from 'vitest/config';

// Every test spawns the built command, which starts a reader process of its own: on a shared
// two-core machine one invocation can take seconds.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
