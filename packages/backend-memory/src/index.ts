/** @tapelog/backend-memory: an in-process tapelog backend for tests and simulation. */

export type { MemoryProviderOptions } from './memory-provider.js';
export { createProvider, MemoryProvider, memoryRunLocation } from './memory-provider.js';
export { MEMORY_CAPABILITIES, MemoryEventStore } from './memory-store.js';
