/**
 * Test fixture: runs the kernel with the real event-store tap and capture adapter over a sink
 * that collects drafts in memory, turning them into hashed entries as a writer would. Lets the
 * kernel's capture, dedup and replay be tested without any storage.
 */
import { BusCaptureAdapter, createEventStoreTap, type CaptureLogger } from '@tapelog/capture';
import { buildEntry, type EntryDraft, type EventStoreEntry } from '@tapelog/core';
import { KernelCache } from '../cache.js';
import { TradingKernel, type KernelOptions } from '../kernel.js';
import { buildKernelRegistry } from '../registry.js';

export interface CapturedSnapshot {
  blob: Uint8Array;
  /** How many entries the snapshot covers (the anchor's high-watermark). */
  highWatermark: number;
}

export interface CapturedRun {
  kernel: TradingKernel;
  entries: EventStoreEntry[];
  snapshots: CapturedSnapshot[];
  logged: string[];
}

export interface CapturedRunOptions extends Omit<KernelOptions, 'onSnapshot'> {
  duration: bigint;
  /** Stop the kernel cleanly at the end (cancels open orders); default true. */
  stop?: boolean;
}

export async function runCaptured(options: CapturedRunOptions): Promise<CapturedRun> {
  const drafts: EntryDraft[] = [];
  const snapshots: CapturedSnapshot[] = [];
  const logged: string[] = [];
  const kernel = new TradingKernel({ ...options, onSnapshot: (blob) => void snapshots.push({ blob, highWatermark: drafts.length }) });
  const sink = { submit: (draft: EntryDraft) => drafts.push(draft) };
  const adapter = new BusCaptureAdapter(sink, buildKernelRegistry(), () => logged.push('halt'));
  const logger: CaptureLogger = { warn: (message) => logged.push(message), error: (message) => logged.push(message) };
  kernel.bus.setTap(createEventStoreTap({ adapter, clock: kernel.clock, logger }));
  kernel.start();
  await kernel.runFor(options.duration);
  if (options.stop !== false) await kernel.stop();
  kernel.bus.clearTap();
  const entries = drafts.map((draft, index) => buildEntry(draft, index + 1, draft.tsInit));
  return { kernel, entries, snapshots, logged };
}

/** A fresh cache with `entries` applied in seq order, after `snapshot` when given. */
export function replay(entries: readonly EventStoreEntry[], snapshot?: CapturedSnapshot): KernelCache {
  const cache = new KernelCache();
  if (snapshot !== undefined) cache.restoreSnapshot(snapshot.blob);
  for (const entry of entries) if (snapshot === undefined || entry.seq > snapshot.highWatermark) cache.applyEntry(entry);
  return cache;
}
