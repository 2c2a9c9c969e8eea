/**
 * The bookkeeping behind `FaultHooks.failNextCommit`: a provider arms a run's location, and its
 * store takes the armed fault in `_appendRows`, failing that commit before anything lands.
 */
import type { FaultHooks } from '../backend.js';
import { backendError } from '../errors.js';

export class CommitFaults {
  readonly #armed = new Set<string>();

  /** Hooks for the provider's `faults` property; `locate` maps a run to the location stores use. */
  hooks(locate: (instanceId: string, runId: string) => string): FaultHooks {
    return {
      failNextCommit: (instanceId, runId) => {
        this.#armed.add(locate(instanceId, runId));
      },
    };
  }

  /** Throws the injected failure (once) when a fault is armed for `location`. */
  take(location: string): void {
    if (!this.#armed.delete(location)) return;
    throw backendError(`injected commit failure in run ${location}`);
  }
}
