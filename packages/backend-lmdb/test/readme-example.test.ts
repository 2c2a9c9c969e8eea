/** The README's example, run for real against a temporary directory. */
import { testStoreReadmeExample } from '@tapelog/test-support';

testStoreReadmeExample(import.meta.url, './fixtures/readme-example.ts', () => import('./fixtures/readme-example.js'));
