/** Draft sinks for tests: one that records what it accepts, one that fails like a halted writer. */
import type { EntryDraft } from '@tapelog/core';
import type { DraftSink } from '../adapter.js';

export class RecordingSink implements DraftSink {
  readonly drafts: EntryDraft[] = [];

  submit(draft: EntryDraft): number {
    this.drafts.push(draft);
    return this.drafts.length;
  }
}

/** Accepts `acceptCount` drafts, then throws `failure` on every submit, counting the calls. */
export class FailingSink implements DraftSink {
  readonly drafts: EntryDraft[] = [];
  calls = 0;

  constructor(
    readonly failure: unknown,
    readonly acceptCount = 0,
  ) {}

  submit(draft: EntryDraft): number {
    this.calls++;
    if (this.drafts.length >= this.acceptCount) throw this.failure;
    this.drafts.push(draft);
    return this.drafts.length;
  }
}
