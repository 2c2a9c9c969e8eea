/**
 * One open run: its writer, capture adapter, optional marker sidecar and halt signal. Closing it
 * appends RunEnded and seals the run Ended; abandoning it leaves the run for the next boot's sweep.
 */

import type { BusCaptureAdapter } from '@tapelog/capture';
import { computeSnapshotContentHash, type RunManifest, runEndedDraft, type SnapshotAnchor, TapelogError, writerClosedError } from '@tapelog/core';
import type { EventStoreWriter } from '@tapelog/writer';
import type { HaltSignal } from './halt-signal.js';
import { abandonOrTerminate } from './writer-stop.js';

/** A marker sidecar as the session sees it: closed after the writer, whatever happened. */
export interface SessionMarkers {
  close(): Promise<void>;
}

/** What a kernel hands the anchorer: a cache-owned blob and the reference to find it again. */
export interface SnapshotBlob {
  blobRef: string;
  blob: Uint8Array;
  /**
   * The seq the snapshot covers (the writer's `acceptedSeq` when it was taken), for an anchor
   * enqueued later, once the blob is durable; omitted, the anchor covers what was submitted before the call.
   */
  coversSeq?: number;
}

export type SnapshotAnchorer = (snapshot: SnapshotBlob) => Promise<SnapshotAnchor>;

export class EventStoreSession {
  /** The manifest as built at open: its hwm, end time and status never update. */
  readonly manifest: RunManifest;
  readonly signal: HaltSignal;
  #writer: EventStoreWriter | undefined;
  #adapter: BusCaptureAdapter | undefined;
  #markers: SessionMarkers | undefined;

  constructor(manifest: RunManifest, writer: EventStoreWriter, adapter: BusCaptureAdapter, signal: HaltSignal, markers?: SessionMarkers) {
    this.manifest = manifest;
    this.#writer = writer;
    this.#adapter = adapter;
    this.signal = signal;
    this.#markers = markers;
  }

  get runId(): string {
    return this.manifest.runId;
  }

  get parentRunId(): string | undefined {
    return this.manifest.parentRunId;
  }

  get isHalted(): boolean {
    return this.signal.isHalted;
  }

  get highWatermark(): number {
    return this.#writer?.highWatermark ?? 0;
  }

  get adapter(): BusCaptureAdapter | undefined {
    return this.#adapter;
  }

  get writer(): EventStoreWriter | undefined {
    return this.#writer;
  }

  get hasMarkers(): boolean {
    return this.#markers !== undefined;
  }

  /** Records an anchor for a cache snapshot blob at the durable hwm, after what was submitted before. */
  snapshotAnchorer(): SnapshotAnchorer | undefined {
    if (this.#writer === undefined) return undefined;
    return async ({ blobRef, blob, coversSeq }) => {
      const writer = this.#writer;
      if (writer === undefined) throw writerClosedError(`record snapshot anchor: run ${this.runId} is already closed`);
      try {
        return await writer.recordSnapshotAnchor(blobRef, computeSnapshotContentHash(blob), coversSeq);
      } catch (error) {
        // The writer's code (TIMEOUT, CLOSED, ANCHOR_REJECTED …) says what failed; keep it.
        const code = TapelogError.isInstance(error) ? error.code : 'BACKEND';
        throw new TapelogError(code, `record snapshot anchor: ${(error as Error).message}`, { cause: error });
      }
    };
  }

  /** Appends RunEnded and seals Ended. A repeat close is a no-op returning undefined. */
  async close(tsInit: bigint): Promise<RunManifest | undefined> {
    this.#adapter = undefined;
    const writer = this.#writer;
    this.#writer = undefined;
    if (writer === undefined) {
      await this.#closeMarkers();
      return undefined;
    }
    try {
      return await writer.close(runEndedDraft(tsInit));
    } finally {
      await this.#closeMarkers();
    }
  }

  /** Commits what was accepted and stops the writer without sealing: the next boot recovers the run. */
  async abandon(): Promise<void> {
    this.#adapter = undefined;
    const writer = this.#writer;
    this.#writer = undefined;
    try {
      // A halted writer may sit on a backend that stopped answering: bounded, then terminated.
      if (writer !== undefined) {
        let failure: unknown;
        await abandonOrTerminate(writer, (error) => (failure = error));
        if (failure !== undefined) throw failure;
      }
    } finally {
      await this.#closeMarkers();
    }
  }

  async #closeMarkers(): Promise<void> {
    const markers = this.#markers;
    this.#markers = undefined;
    await markers?.close();
  }
}
