/**
 * Whether a backend lets the writer issue the next `appendBatch` before the previous one settles
 * (`capabilities.pipelinedAppends`): calls are then applied one at a time in call order, each
 * against the high-watermark the earlier ones left, so a call made after a failed one fails too.
 */
import type { EventStore } from '@tapelog/core';

/** How many appends a writer keeps in flight at most when the backend allows pipelining. */
export const MAX_PIPELINED_APPENDS = 2;

/** True only for an explicit `pipelinedAppends: true`; absent or false means one append at a time. */
export function declaresPipelinedAppends(store: EventStore): boolean {
  return store.capabilities.pipelinedAppends === true;
}
