/**
 * What `tapelog scan` and `tapelog replay` share: printing a sealed run's entries to stdout with a
 * progress bar, waiting for stdout to drain, and ending in the corrupt exit when a row is damaged.
 */
import type { EventStore } from '@tapelog/core';
import { EXIT_OK } from './exit-codes.js';
import { corruptExitOrRethrow } from './integrity-error.js';
import type { ProgressBar } from './progress-bar.js';

export interface EntryPrinting {
  /** The run's entries to print, in the order printed. */
  readonly total: number;
  /** Writes lines above the progress bar, waiting for stdout to take them. */
  print(text: string): Promise<void>;
}

/**
 * Runs `walk` on the open run `store` at `path` and closes it: exit 0 when the walk completes;
 * a damaged row gives the corrupt exit (with `json`, after one last JSON line).
 */
export async function printEntries(
  path: string,
  store: EventStore,
  progress: ProgressBar,
  json: boolean,
  range: { from: number; to: number },
  walk: (printing: EntryPrinting) => Promise<void>,
): Promise<number> {
  try {
    const total = Math.max(0, Math.min(range.to, await store.highWatermark()) - range.from + 1);
    await walk({
      total,
      async print(text) {
        progress.finish();
        if (text !== '' && !process.stdout.write(text)) await new Promise((resolve) => process.stdout.once('drain', resolve));
      },
    });
    progress.finish();
    return EXIT_OK;
  } catch (error) {
    progress.finish();
    return corruptExitOrRethrow(path, error, json);
  } finally {
    await store.close();
  }
}
