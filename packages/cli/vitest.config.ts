import { defineConfig } from 'vitest/config';

// Every CLI test spawns the command (and verify a worker) on a shared two-core machine.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
