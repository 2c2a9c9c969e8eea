/**
 * Forensics replay of a seq range (upstream `planForensicsReplayInputs` /
 * `loadForensicsReplayInputs`): validate `[fromSeq, toSeq]`, plan what it holds, and stream or
 * load its entries in seq order, optionally filtered by topic and payload type. Read-only.
 */
import { type EventStoreEntry, type EventStoreReader, TapelogError } from '@tapelog/core';

/** An inclusive seq range; `toSeq` past the high-watermark is clipped, never an error. */
export interface ReplaySeqRange {
  fromSeq: number;
  toSeq: number;
}

/** An inclusive range of `tsInit` nanoseconds. */
export interface ReplayTimeRange {
  start: bigint;
  end: bigint;
}

/** Which entries of the range to keep; absent fields keep everything. */
export interface ReplayFilter {
  /** Exact topics to keep. */
  topics?: readonly string[];
  /** Exact payload types to keep. */
  payloadTypes?: readonly string[];
}

export interface ForensicsReplayPlan {
  requestedRange: ReplaySeqRange;
  filter: ReplayFilter;
  /** First and last seq of the kept entries, or undefined when none. */
  eventRange: ReplaySeqRange | undefined;
  eventCount: number;
  /** Min and max `tsInit` of the kept entries (seq order is not time order). */
  eventTimeRange: ReplayTimeRange | undefined;
}

/**
 * Throws INVALID_SEQ_RANGE with upstream's wording: `invalid replay seq range A..=B: seq is
 * 1-based` or `…: from_seq exceeds to_seq`.
 */
export function validateReplaySeqRange(range: ReplaySeqRange): void {
  const { fromSeq, toSeq } = range;
  const reason =
    !Number.isSafeInteger(fromSeq) || !Number.isSafeInteger(toSeq) || fromSeq < 0 || toSeq < 0
      ? 'seqs are non-negative safe integers'
      : fromSeq === 0
        ? 'seq is 1-based'
        : fromSeq > toSeq
          ? 'from_seq exceeds to_seq'
          : undefined;
  if (reason === undefined) return;
  throw new TapelogError('INVALID_SEQ_RANGE', `invalid replay seq range ${fromSeq}..=${toSeq}: ${reason}`, { detail: reason });
}

function keeps(filter: ReplayFilter): (entry: EventStoreEntry) => boolean {
  const topics = filter.topics === undefined ? undefined : new Set(filter.topics);
  const payloadTypes = filter.payloadTypes === undefined ? undefined : new Set(filter.payloadTypes);
  return (entry) => (topics === undefined || topics.has(entry.topic)) && (payloadTypes === undefined || payloadTypes.has(entry.payloadType));
}

/** One backend chunk of a replay: the kept entries and the last seq read (for progress). */
export interface ForensicsReplayChunk {
  entries: EventStoreEntry[];
  lastSeq: number;
}

/**
 * Streams the kept entries of the range, one chunk per backend read (possibly empty after
 * filtering), every entry hash-checked. The next chunk is read while the caller works on the
 * current one, so at most two chunks are in memory at a time.
 */
export async function* streamForensicsReplay(
  reader: EventStoreReader,
  range: ReplaySeqRange,
  filter: ReplayFilter = {},
): AsyncGenerator<ForensicsReplayChunk, void, undefined> {
  validateReplaySeqRange(range);
  const keep = keeps(filter);
  const unfiltered = filter.topics === undefined && filter.payloadTypes === undefined;
  const chunks = reader.scanChunks(range.fromSeq, range.toSeq, 'forward');
  let next = chunks.next();
  try {
    for (;;) {
      const read = await next;
      if (read.done === true) return;
      next = chunks.next();
      // A read-ahead that fails after the caller has stopped is nobody's error; one the caller
      // reaches is awaited above and thrown there.
      next.catch(() => undefined);
      const chunk = read.value;
      yield { entries: unfiltered ? chunk : chunk.filter(keep), lastSeq: chunk[chunk.length - 1]!.seq };
    }
  } finally {
    await chunks.return(undefined);
  }
}

/** Scans the range once and says what it holds (count, seq span, time span) without keeping entries. */
export async function planForensicsReplay(reader: EventStoreReader, range: ReplaySeqRange, filter: ReplayFilter = {}): Promise<ForensicsReplayPlan> {
  let eventRange: ReplaySeqRange | undefined;
  let eventTimeRange: ReplayTimeRange | undefined;
  let eventCount = 0;
  for await (const chunk of streamForensicsReplay(reader, range, filter)) {
    for (const entry of chunk.entries) {
      eventCount++;
      eventRange = eventRange === undefined ? { fromSeq: entry.seq, toSeq: entry.seq } : { fromSeq: eventRange.fromSeq, toSeq: entry.seq };
      if (eventTimeRange === undefined) eventTimeRange = { start: entry.tsInit, end: entry.tsInit };
      else {
        if (entry.tsInit < eventTimeRange.start) eventTimeRange.start = entry.tsInit;
        if (entry.tsInit > eventTimeRange.end) eventTimeRange.end = entry.tsInit;
      }
    }
  }
  return { requestedRange: { ...range }, filter, eventRange, eventCount, eventTimeRange };
}

/**
 * Loads the entries of a plan's requested range (not its event range: on a run still growing,
 * rows committed since planning are included, as upstream does). Keeps them all in memory: use
 * `streamForensicsReplay` for large ranges.
 */
export async function loadForensicsReplay(reader: EventStoreReader, plan: ForensicsReplayPlan): Promise<EventStoreEntry[]> {
  const entries: EventStoreEntry[] = [];
  for await (const chunk of streamForensicsReplay(reader, plan.requestedRange, plan.filter)) {
    for (const entry of chunk.entries) entries.push(entry);
  }
  return entries;
}
