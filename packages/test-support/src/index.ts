/** Helpers the tapelog packages' tests share: temporary directories, a test bus, README example checks. */
export { exampleFrom, firstTypeScriptBlock } from './readme-example.js';
export { temporaryDirectory, type DirectoryLifetime } from './temporary-directory.js';
export { TestBus, type BusTapLike } from './test-bus.js';
