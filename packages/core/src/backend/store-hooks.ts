/**
 * What a provider hands each store it opens besides the run's `StoreInit`: where warnings go,
 * the commit failures armed by tests, and a callback once the store has released its files.
 */
import type { CommitFaults } from './commit-faults.js';
import type { WarningSink } from './run-directory-provider.js';

export interface StoreHooks {
  warn: WarningSink;
  /** Armed commit failures (the provider's `faults` hooks). */
  faults: CommitFaults;
  /** Called once when the store has released its storage. */
  onClose?: () => void;
}
