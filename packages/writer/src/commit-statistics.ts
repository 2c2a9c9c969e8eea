/**
 * Commit statistics of a writer: how many commits, the largest batch, and commit latency
 * percentiles. They are counted in a few 32-bit words (shared memory for the worker writer, so
 * the main thread reads them without a message) with latencies in a log-scale histogram.
 */

/** What a writer reports about its commits so far (`EventStoreWriter.commitStatistics()`). */
export interface CommitStatistics {
  /** `appendBatch` calls that succeeded (batches, group commits and RunEnded). */
  commits: number;
  /** Entries committed in all of them. */
  entries: number;
  /** The most entries one commit took. */
  largestBatch: number;
  /** Median commit latency, ms (appendBatch call to acknowledgement); 0 before the first commit. */
  latencyP50Ms: number;
  /** 99th percentile commit latency, ms; 0 before the first commit. */
  latencyP99Ms: number;
}

const COMMITS = 0;
const ENTRIES = 1;
const LARGEST_BATCH = 2;
const HISTOGRAM = 3;
/** Buckets grow by 2^(1/4) (a reported percentile is at most ~19% above the true value) from 10 µs. */
const BUCKETS = 80;
const BUCKETS_PER_DOUBLING = 4;
const SMALLEST_BUCKET_MS = 0.01;

/** 32-bit words a recorder needs. */
export const COMMIT_STATISTICS_WORDS = HISTOGRAM + BUCKETS;

function bucketOf(milliseconds: number): number {
  if (!(milliseconds > SMALLEST_BUCKET_MS)) return 0;
  const bucket = Math.ceil(Math.log2(milliseconds / SMALLEST_BUCKET_MS) * BUCKETS_PER_DOUBLING);
  return Math.min(BUCKETS - 1, bucket);
}

/** The upper bound of a bucket, ms. */
function bucketLimit(bucket: number): number {
  return SMALLEST_BUCKET_MS * 2 ** (bucket / BUCKETS_PER_DOUBLING);
}

/** Counts commits into `words` (COMMIT_STATISTICS_WORDS long; one writing thread, any reading thread). */
export class CommitStatisticsRecorder {
  readonly #words: Int32Array;

  constructor(words: Int32Array = new Int32Array(COMMIT_STATISTICS_WORDS)) {
    if (words.length < COMMIT_STATISTICS_WORDS) throw new RangeError(`commit statistics need ${COMMIT_STATISTICS_WORDS} words, got ${words.length}`);
    this.#words = words;
  }

  /** One successful commit of `entries` entries that took `milliseconds`. */
  record(entries: number, milliseconds: number): void {
    const words = this.#words;
    Atomics.add(words, HISTOGRAM + bucketOf(milliseconds), 1);
    Atomics.add(words, ENTRIES, entries);
    if (entries > Atomics.load(words, LARGEST_BATCH)) Atomics.store(words, LARGEST_BATCH, entries);
    // Counted last: a reader that sees the commit also sees its bucket.
    Atomics.add(words, COMMITS, 1);
  }

  read(): CommitStatistics {
    const words = this.#words;
    const counts: number[] = [];
    let total = 0;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      const count = Atomics.load(words, HISTOGRAM + bucket);
      counts.push(count);
      total += count;
    }
    const percentile = (fraction: number): number => {
      if (total === 0) return 0;
      const rank = Math.ceil(total * fraction);
      let seen = 0;
      for (let bucket = 0; bucket < BUCKETS; bucket++) {
        seen += counts[bucket]!;
        if (seen >= rank) return bucketLimit(bucket);
      }
      return bucketLimit(BUCKETS - 1);
    };
    return {
      commits: Atomics.load(words, COMMITS),
      entries: Atomics.load(words, ENTRIES),
      largestBatch: Atomics.load(words, LARGEST_BATCH),
      latencyP50Ms: percentile(0.5),
      latencyP99Ms: percentile(0.99),
    };
  }
}
