/** Test doubles: a stallable backend, a recording sink, a test quote type and a silent logger. */
import type { MarkerBackend, MarkerWrite } from '../marker-backend.js';
import { MemoryMarkerBackend } from '../memory-backend.js';
import type { DataCursorSnapshot, HiFiMarker, MarkerManifest, StreamDictEntry } from '../model.js';
import { newMarkerManifest } from '../model.js';
import type { DataMarkerExtractor } from '../extractor.js';
import type { MarkerSink, SubmitOutcome } from '../marker-writer.js';

/** A memory backend whose writes can be held back (a slow disk) or made to fail. */
export class GatedBackend implements MarkerBackend {
  readonly inner = new MemoryMarkerBackend();
  readonly location = 'gated-memory';
  #gate: Promise<void> | undefined;
  #release: (() => void) | undefined;
  failWith: Error | undefined;
  writeCalls = 0;
  /** Resolves when a write call has entered (and is held by the gate). */
  #entered: Array<() => void> = [];

  constructor(manifest: MarkerManifest = newMarkerManifest('run-1', ['Quote'], false)) {
    this.inner.openRun(manifest);
  }

  stall(): void {
    this.#gate ??= new Promise((resolve) => (this.#release = resolve));
  }

  release(): void {
    this.#release?.();
    this.#gate = undefined;
    this.#release = undefined;
  }

  /** Waits until the next write call has started. */
  nextWriteEntered(): Promise<void> {
    return new Promise((resolve) => this.#entered.push(resolve));
  }

  async write(writes: readonly MarkerWrite[]): Promise<void> {
    this.writeCalls++;
    for (const wake of this.#entered.splice(0)) wake();
    while (this.#gate !== undefined) await this.#gate;
    if (this.failWith) throw this.failWith;
    await this.inner.write(writes);
  }
  appendSnapshot: MarkerBackend['appendSnapshot'] = (record, hash) => this.write([{ kind: 'Snapshot', record, hash }]);
  appendHiFi: MarkerBackend['appendHiFi'] = (record, hash) => this.write([{ kind: 'HiFi', record, hash }]);
  appendGap: MarkerBackend['appendGap'] = (record, hash) => this.write([{ kind: 'Gap', record, hash }]);
  putDict: MarkerBackend['putDict'] = (record, hash) => this.write([{ kind: 'Dict', record, hash }]);
  scanSnapshots = () => this.inner.scanSnapshots();
  scanHiFi = () => this.inner.scanHiFi();
  scanGaps = () => this.inner.scanGaps();
  scanDict = () => this.inner.scanDict();
  seal: MarkerBackend['seal'] = (status) => this.inner.seal(status);
  manifest = () => this.inner.manifest();
  closed = false;
  async close(): Promise<void> {
    this.closed = true;
  }
}

/** A sink that records what capture emits, in order. */
export class RecordingSink implements MarkerSink {
  readonly snapshots: DataCursorSnapshot[] = [];
  readonly hifi: HiFiMarker[] = [];
  readonly dict: StreamDictEntry[] = [];
  readonly order: string[] = [];
  outcome: SubmitOutcome = 'accepted';

  submitSnapshot(snapshot: DataCursorSnapshot): SubmitOutcome {
    this.snapshots.push(snapshot);
    this.order.push(`snapshot:${snapshot.markerSeq}`);
    return this.outcome;
  }
  submitHiFi(marker: HiFiMarker): SubmitOutcome {
    this.hifi.push(marker);
    this.order.push(`hifi:${marker.markerSeq}`);
    return this.outcome;
  }
  putDict(entry: StreamDictEntry): 'accepted' | 'closed' {
    this.dict.push(entry);
    this.order.push(`dict:${entry.slot}`);
    return this.outcome === 'dropped' ? 'accepted' : this.outcome;
  }
}

/** A kernel-style quote message. */
export class TestQuote {
  constructor(
    readonly instrumentId: string,
    readonly tsEvent: bigint,
    readonly tsInit: bigint,
  ) {}
}

export class TestTrade {
  constructor(
    readonly instrumentId: string,
    readonly tsEvent: bigint,
    readonly tsInit: bigint,
  ) {}
}

/** Upstream's capture tests' extractor: fingerprint is 32 × 7. */
export const testQuoteExtractor: DataMarkerExtractor<TestQuote> = {
  dataClass: 'Quote',
  identifier: (quote) => quote.instrumentId,
  tsEvent: (quote) => quote.tsEvent,
  tsInit: (quote) => quote.tsInit,
  fingerprint: () => new Uint8Array(32).fill(7),
};

export const testTradeExtractor: DataMarkerExtractor<TestTrade> = {
  dataClass: 'Trade',
  identifier: (trade) => trade.instrumentId,
  tsEvent: (trade) => trade.tsEvent,
  tsInit: (trade) => trade.tsInit,
  fingerprint: () => new Uint8Array(32).fill(9),
};

export class CollectingLogger {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  error(message: string): void {
    this.errors.push(message);
  }
  warn(message: string): void {
    this.warnings.push(message);
  }
}

export function hashOf(byte: number): Uint8Array {
  return new Uint8Array(32).fill(byte);
}
