import type { TapelogError } from '@tapelog/core';
import { describe, expect, it, vi } from 'vitest';
import { MarkerWriter } from '../src/marker-writer.js';
import { MemoryMarkerBackend } from '../src/memory-backend.js';
import type { DataCursorSnapshot, HiFiMarker } from '../src/model.js';
import { newMarkerManifest } from '../src/model.js';
import { GatedBackend } from './fixtures/test-support.js';

function snapshot(markerSeq: number): DataCursorSnapshot {
  return { markerSeq, eventSeqBefore: 1, tsInit: BigInt(markerSeq), advanced: [{ slot: 0, tsInitHi: BigInt(markerSeq), count: markerSeq }] };
}

function hifi(markerSeq: number): HiFiMarker {
  return { markerSeq, eventSeqBefore: 1, slot: 0, tsEvent: 1n, tsInit: 2n, sameTsOrdinal: 0, recordFingerprint: new Uint8Array(32) };
}

async function seqs(backend: GatedBackend) {
  return {
    snapshots: (await backend.scanSnapshots()).map((row) => row.record.markerSeq),
    hifi: (await backend.scanHiFi()).map((row) => row.record.markerSeq),
    gaps: (await backend.scanGaps()).map((row) => row.record),
  };
}

/** Capacity 1, a stalled backend holding seq 1, seq 2 queued: the next submits overflow. */
async function stalledWithOneQueued(backend: GatedBackend) {
  const writer = await MarkerWriter.start(backend, { channelCapacity: 1, maxLatencyMs: 0 });
  backend.stall();
  const entered = backend.nextWriteEntered();
  expect(writer.submitSnapshot(snapshot(1))).toBe('accepted');
  await entered;
  expect(writer.submitSnapshot(snapshot(2))).toBe('accepted');
  return writer;
}

describe('MarkerWriter', () => {
  it('persists submitted snapshots in order and seals Ended at close', async () => {
    const backend = new GatedBackend();
    const writer = await MarkerWriter.start(backend);
    expect(writer.submitSnapshot(snapshot(1))).toBe('accepted');
    expect(writer.submitSnapshot(snapshot(2))).toBe('accepted');
    const manifest = await writer.close();
    expect(manifest.status).toBe('Ended');
    expect((await seqs(backend)).snapshots).toEqual([1, 2]);
    expect(backend.closed).toBe(true);
  });

  it('never drops dictionary entries, even while the queue is full', async () => {
    const backend = new GatedBackend();
    const writer = await stalledWithOneQueued(backend);
    expect(writer.submitSnapshot(snapshot(3))).toBe('dropped');
    expect(writer.putDict({ slot: 0, dataClass: 'Quote', identifier: 'ETHUSDT.BINANCE' })).toBe('accepted');
    backend.release();
    await writer.close();
    expect((await backend.scanDict()).map((row) => row.record.identifier)).toEqual(['ETHUSDT.BINANCE']);
    expect((await seqs(backend)).snapshots).toEqual([1, 2]);
  });

  it('requires an open, unsealed marker run', async () => {
    await expect(MarkerWriter.start(new MemoryMarkerBackend())).rejects.toMatchObject({ code: 'CLOSED' });
    const sealed = new MemoryMarkerBackend();
    sealed.openRun(newMarkerManifest('run-9', [], false));
    await sealed.seal('Ended');
    await expect(MarkerWriter.start(sealed)).rejects.toMatchObject({ code: 'CLOSED', message: expect.stringContaining('run-9') });
  });

  it('commits after the latency window without waiting for close', async () => {
    const backend = new GatedBackend();
    const writer = await MarkerWriter.start(backend, { maxBatch: 100, maxLatencyMs: 20 });
    writer.submitSnapshot(snapshot(1));
    await vi.waitFor(async () => expect((await backend.scanSnapshots()).length).toBe(1), { timeout: 2000, interval: 5 });
    await writer.close();
  });

  it('drops on overflow without blocking and records one Overflow gap before the next accepted marker', async () => {
    const backend = new GatedBackend();
    const writer = await stalledWithOneQueued(backend);
    expect([3, 4, 5].map((seq) => writer.submitSnapshot(snapshot(seq)))).toEqual(['dropped', 'dropped', 'dropped']);
    backend.release();
    await writer.flush();
    expect(writer.submitSnapshot(snapshot(6))).toBe('accepted');
    await writer.close();
    expect(await seqs(backend)).toEqual({ snapshots: [1, 2, 6], hifi: [], gaps: [{ fromMarkerSeq: 3, toMarkerSeq: 5, reason: 'Overflow' }] });
    expect(writer.stats).toMatchObject({ accepted: 3, dropped: 3, gaps: 1, queued: 0 });
  });

  it('writes the overflow gap before a following hifi marker', async () => {
    const backend = new GatedBackend();
    const writer = await stalledWithOneQueued(backend);
    for (const seq of [3, 4, 5]) writer.submitHiFi(hifi(seq));
    backend.release();
    await writer.flush();
    expect(writer.submitHiFi(hifi(6))).toBe('accepted');
    await writer.close();
    expect(await seqs(backend)).toEqual({ snapshots: [1, 2], hifi: [6], gaps: [{ fromMarkerSeq: 3, toMarkerSeq: 5, reason: 'Overflow' }] });
  });

  it('records drops still pending at close as a WriterClosed gap', async () => {
    const backend = new GatedBackend();
    const writer = await stalledWithOneQueued(backend);
    writer.submitSnapshot(snapshot(3));
    writer.submitSnapshot(snapshot(4));
    const closing = writer.close();
    expect(writer.submitSnapshot(snapshot(5))).toBe('closed');
    backend.release();
    const manifest = await closing;
    expect(manifest.status).toBe('Ended');
    expect(await seqs(backend)).toEqual({ snapshots: [1, 2], hifi: [], gaps: [{ fromMarkerSeq: 3, toMarkerSeq: 4, reason: 'WriterClosed' }] });
  });

  it('drains everything at close even inside a long latency window', async () => {
    const backend = new GatedBackend();
    const writer = await MarkerWriter.start(backend, { maxBatch: 10, maxLatencyMs: 30_000 });
    writer.submitHiFi(hifi(1));
    expect(await writer.close()).toMatchObject({ status: 'Ended', hifiCount: 1 });
    expect(await writer.close()).toMatchObject({ status: 'Ended' });
  });

  it('fail-stops on a backend error: reports once, refuses later markers, leaves the run unsealed', async () => {
    const backend = new GatedBackend();
    const failures: TapelogError[] = [];
    const writer = await MarkerWriter.start(backend, { maxLatencyMs: 0 }, { onFailure: (error) => failures.push(error) });
    backend.failWith = new Error('disk on fire');
    writer.submitSnapshot(snapshot(1));
    await writer.flush();
    expect(writer.submitSnapshot(snapshot(2))).toBe('closed');
    expect(writer.putDict({ slot: 0, dataClass: 'Quote', identifier: 'A' })).toBe('closed');
    await expect(writer.close()).rejects.toMatchObject({ code: 'BACKEND', message: expect.stringContaining('disk on fire') });
    expect(failures).toHaveLength(1);
    expect((await backend.manifest()).status).toBe('Running');
    expect(backend.closed).toBe(true);
  });

  it('raises a zero capacity to one', async () => {
    const backend = new GatedBackend();
    const writer = await MarkerWriter.start(backend, { channelCapacity: 0, maxLatencyMs: 30_000 });
    expect(writer.submitSnapshot(snapshot(1))).toBe('accepted');
    expect(writer.submitSnapshot(snapshot(2))).toBe('dropped');
    await writer.close();
    expect(await seqs(backend)).toEqual({ snapshots: [1], hifi: [], gaps: [{ fromMarkerSeq: 2, toMarkerSeq: 2, reason: 'WriterClosed' }] });
  });
});
