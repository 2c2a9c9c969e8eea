/**
 * The messages between the main thread and the writer thread. Entries, anchors and close travel
 * through the shared ring (FIFO with entries); only replies and halts travel as messages, and
 * errors cross the thread boundary as plain data.
 */
import { type RunManifest, type SnapshotAnchor, TapelogError, type TapelogErrorCode } from '@tapelog/core';
import type { WriterConfig } from './config.js';
import type { HaltReason } from './halt.js';

export interface WorkerStartData {
  module: string;
  options: unknown;
  manifest: RunManifest;
  config: WriterConfig;
  control: SharedArrayBuffer;
  ring: SharedArrayBuffer;
}

/** What a standby thread starts with: only its backend module, loaded before the run arrives. */
export interface WorkerStandbyData {
  standby: true;
  module: string;
}

/** The message that hands a standby thread its run. */
export interface WorkerStartMessage {
  type: 'start';
  data: WorkerStartData;
}

export interface SerializedError {
  tapelog: boolean;
  code: TapelogErrorCode | undefined;
  message: string;
  detail: string | undefined;
}

export type WorkerReply =
  | { type: 'ready'; highWatermark: number }
  | { type: 'open-failed'; error: SerializedError }
  | { type: 'halted'; reason: HaltReason }
  | { type: 'anchor-recorded'; id: number; anchor: SnapshotAnchor }
  | { type: 'anchor-failed'; id: number; error: SerializedError }
  | { type: 'closed'; manifest: RunManifest }
  | { type: 'close-failed'; error: SerializedError }
  | { type: 'abandoned'; highWatermark: number }
  /** After closed or abandoned: the run's store is closed and the thread waits for another run. */
  | { type: 'released' };

export function serializeError(error: unknown): SerializedError {
  if (TapelogError.isInstance(error)) return { tapelog: true, code: error.code, message: error.message, detail: error.detail };
  const message = error instanceof Error ? error.message : String(error);
  return { tapelog: false, code: undefined, message, detail: undefined };
}

/** Rebuilds a TapelogError (same code and message); any other error becomes a plain Error. */
export function deserializeError(error: SerializedError): Error {
  if (error.tapelog && error.code !== undefined) {
    return new TapelogError(error.code, error.message, error.detail === undefined ? {} : { detail: error.detail });
  }
  return new Error(error.message);
}
