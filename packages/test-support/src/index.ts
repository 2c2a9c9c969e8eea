/** Helpers the tapelog packages' tests share: temporary directories, a test bus, README example checks. */
export { exampleFrom, firstTypeScriptBlock } from './readme-example.js';
export { type DirectoryLifetime, temporaryDirectory } from './temporary-directory.js';
export { type BusTapLike, TestBus } from './test-bus.js';
