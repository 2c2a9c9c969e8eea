/**
 * The shapes the server's JSON answers take on the page: the reader's own answer types, with
 * bigints arriving as decimal strings (and byte arrays as hex).
 */

import type { RunManifest } from '@tapelog/core';
import type { CorrelationAnswer } from '../reader/correlation-query.js';
import type { EntryAnswer } from '../reader/entry-query.js';
import type { MarkersAnswer } from '../reader/markers-query.js';
import type { ListedRun } from '../reader/run-catalog.js';
import type { OverviewAnswer, TimelineAnswer } from '../reader/timeline-query.js';
import type { VerifyResult } from '../verify-protocol.js';

/** What `JSON.parse` gives back for a value the server wrote with toJsonText. */
export type Json<T> = T extends bigint | Uint8Array
  ? string
  : T extends (infer Item)[]
    ? Json<Item>[]
    : T extends object
      ? { [Key in keyof T]: Json<T[Key]> }
      : T;

export type ManifestJson = Json<RunManifest>;
export type ListedRunJson = Json<ListedRun>;
export type OverviewJson = Json<OverviewAnswer>;
export type TimelineJson = Json<TimelineAnswer>;
export type EntryJson = Json<EntryAnswer>;
export type CorrelationJson = Json<CorrelationAnswer>;
export type MarkersJson = Json<MarkersAnswer>;
export type VerifyJson = VerifyResult;
