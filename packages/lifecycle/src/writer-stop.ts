/**
 * Stopping a writer without sealing when its backend may have stopped answering: abandon
 * (commit what was accepted) within a bounded wait, then terminate, so a stuck backend can never
 * keep a failed open or a halted kernel from finishing.
 */
import type { EventStoreWriter } from '@tapelog/writer';

/** How long an abandon may take before the writer is terminated. */
export const ABANDON_WAIT_MS = 1000;

/**
 * Abandons `writer`, terminating it if the abandon has not settled within `waitMs`. Returns how
 * it ended; an abandon error is passed to `onError` and does not throw.
 */
export async function abandonOrTerminate(
  writer: EventStoreWriter,
  onError: (error: unknown) => void,
  waitMs: number = ABANDON_WAIT_MS,
): Promise<'abandoned' | 'terminated'> {
  let timer: NodeJS.Timeout | undefined;
  const abandoned = writer.abandon().then(
    () => 'abandoned' as const,
    (error: unknown) => {
      onError(error);
      return 'abandoned' as const;
    },
  );
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), waitMs);
  });
  try {
    if ((await Promise.race([abandoned, timedOut])) === 'abandoned') return 'abandoned';
  } finally {
    clearTimeout(timer);
  }
  await writer.terminate();
  return 'terminated';
}
