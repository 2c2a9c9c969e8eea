/** Helpers the tapelog packages' tests share: temporary directories, a test bus, a collecting logger, market-data test messages, README example checks, the kernel demo. */
export { CollectingLogger } from './collecting-logger.js';
export { crashAndRestartKernel, expectVerifiedClean, type KernelRunSummary } from './kernel-demo.js';
export { type TestMarketExtractor, TestQuote, TestTrade, testMarketExtractor, testQuoteExtractor, testTradeExtractor } from './market-messages.js';
export { exampleFrom, firstTypeScriptBlock, type StoreReadmeExample, testReadmeShowsExample, testStoreReadmeExample } from './readme-example.js';
export { type DirectoryLifetime, temporaryDirectory } from './temporary-directory.js';
export { type BusTapLike, TestBus } from './test-bus.js';
