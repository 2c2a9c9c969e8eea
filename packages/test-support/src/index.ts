/** Helpers the tapelog packages' tests share: temporary directories, a test bus, a collecting logger, README example checks, the kernel demo. */
export { CollectingLogger } from './collecting-logger.js';
export { crashAndRestartKernel, expectVerifiedClean, type KernelRunSummary } from './kernel-demo.js';
export { exampleFrom, firstTypeScriptBlock, type StoreReadmeExample, testReadmeShowsExample, testStoreReadmeExample } from './readme-example.js';
export { type DirectoryLifetime, temporaryDirectory } from './temporary-directory.js';
export { type BusTapLike, TestBus } from './test-bus.js';
