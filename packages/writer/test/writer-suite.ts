/**
 * The one writer test suite, run against both writers, each over a backend that takes one
 * append at a time and over one that declares pipelinedAppends: the applicable tests of upstream's
 * writer (`tests/writer.rs`, see docs/upstream.md), the stall, halt and close rules of the README's
 * "Halts" section, and how many appends each writer keeps in flight.
 */
import {
  computeChainHead,
  draftWithoutIndices,
  type EntryDraft,
  type IndexKey,
  RealtimeClock,
  runEndedDraft,
  TapelogError,
  verifyEntryHash,
} from '@tapelog/core';
import { afterEach, describe, expect, test } from 'vitest';
import { SubmitError } from '../dist/index.js';
import { createHarness, eventually, type HarnessOptions, type WriterHarness, type WriterKind } from './harness.js';

export function draft(tsInit: bigint, payload: Uint8Array = new Uint8Array([1, 2, 3, 4]), indexKeys: IndexKey[] = []): EntryDraft {
  return { ...draftWithoutIndices({}, 'exec.command.SubmitOrder', 'SubmitOrder', payload, tsInit), indexKeys };
}

export const RUN_ENDED = runEndedDraft(9999n);

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function expectSubmitError(action: () => unknown, code: 'CLOSED' | 'HALT_SIGNALED'): SubmitError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(SubmitError);
    expect((error as SubmitError).code).toBe(code);
    return error as SubmitError;
  }
  throw new Error(`expected a SubmitError ${code}`);
}

export interface SuiteBackend {
  /** The test backend declares pipelinedAppends. */
  pipelinedAppends: boolean;
}

/**
 * Appends a writer keeps in flight at most: both writers run one loop, which issues a second
 * full batch while one is written when the backend allows it.
 */
export function expectedAppendsInFlight(backend: SuiteBackend): number {
  return backend.pipelinedAppends ? 2 : 1;
}

export function defineWriterSuite(kind: WriterKind, backend: SuiteBackend = { pipelinedAppends: false }): void {
  const name = `${kind} writer${backend.pipelinedAppends ? ' over a pipelining backend' : ''}`;
  const harnesses: WriterHarness[] = [];
  const open = async (options: HarnessOptions = {}): Promise<WriterHarness> => {
    const harness = await createHarness(kind, { pipelinedAppends: backend.pipelinedAppends, ...options });
    harnesses.push(harness);
    return harness;
  };
  afterEach(async () => {
    for (const harness of harnesses.splice(0)) await harness.dispose();
  });

  describe(`${name}: commits (W-*, U-*)`, () => {
    test('U1 submit then close records the entries, appends RunEnded and seals Ended with the chain head', async () => {
      const { writer, halts, committed } = await open();
      const seqs = [1, 2, 3, 4, 5].map((i) => writer.submit(draft(BigInt(i))));
      expect(seqs).toEqual([1, 2, 3, 4, 5]);
      expect(writer.acceptedSeq).toBe(5);
      const manifest = await writer.close(RUN_ENDED);
      expect(manifest.status).toBe('Ended');
      expect(manifest.highWatermark).toBe(6);
      const rows = committed();
      expect(rows.map((row) => row.entry.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(rows[5]!.entry.payloadType).toBe('RunEnded');
      expect(manifest.chainHead).toBe(computeChainHead(rows.map((row) => row.entry.entryHash)));
      expect(writer.highWatermark).toBe(6);
      expect(halts).toEqual([]);
    });

    test('W1 drafts with and without index keys commit, and close returns the sealed manifest', async () => {
      const { writer, halts, committed } = await open();
      writer.submit(draft(1n, undefined, [{ kind: 'client_order_id', key: 'O-1' }]));
      writer.submit(draft(2n, undefined, [{ kind: 'venue_order_id', key: 'V-1' }]));
      writer.submit(draft(3n));
      const manifest = await writer.close(RUN_ENDED);
      expect(manifest.highWatermark).toBe(4);
      expect(committed().map((row) => row.indexKeys)).toEqual([[{ kind: 'client_order_id', key: 'O-1' }], [{ kind: 'venue_order_id', key: 'V-1' }], [], []]);
      expect(halts).toEqual([]);
    });

    test('W1 index keys of every text shape come back as submitted: ASCII, non-ASCII, long, empty', async () => {
      const { writer, committed } = await open();
      const keys = ['O-1', 'Ö-ünïcode-✓', `L-${'x'.repeat(200)}`, `A-${'y'.repeat(70)}-é`, '', '\u{1F600}-emoji'];
      for (let i = 0; i < keys.length; i++) writer.submit(draft(BigInt(i + 1), undefined, [{ kind: 'client_order_id', key: keys[i]! }]));
      await writer.close(RUN_ENDED);
      expect(
        committed()
          .slice(0, keys.length)
          .map((row) => row.indexKeys[0]?.key),
      ).toEqual(keys);
    });

    test('W2 the hwm advances only after the backend acknowledges, and reaches every submit', async () => {
      const { writer } = await open({ config: { maxBatchEntries: 2, maxBatchLatencyMs: 5 } });
      for (let i = 0; i < 10; i++) writer.submit(draft(BigInt(i)));
      expect(writer.highWatermark).toBeLessThanOrEqual(10);
      await writer.waitForDurable(10, { timeoutMs: 2000 });
      expect(writer.highWatermark).toBe(10);
      expect((await writer.close(RUN_ENDED)).highWatermark).toBe(11);
    });

    test('W4 the sealed manifest carries the maximum tsInit, not the last', async () => {
      const { writer } = await open();
      for (const tsInit of [50n, 120n, 80n]) writer.submit(draft(tsInit));
      const manifest = await writer.close(RUN_ENDED);
      expect(manifest).toMatchObject({ status: 'Ended', highWatermark: 4, endTsInit: 9999n });
    });

    test('W5 committed entries and their index keys are all there after close', async () => {
      const { writer, committed } = await open({ config: { maxBatchEntries: 4 } });
      for (let i = 0; i < 8; i++) writer.submit(draft(BigInt(10 + i), undefined, i === 1 ? [{ kind: 'client_order_id', key: 'O-Z' }] : []));
      expect((await writer.close(RUN_ENDED)).highWatermark).toBe(9);
      const rows = committed();
      expect(rows.map((row) => row.entry.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const keyed = rows.find((row) => row.indexKeys.some((key) => key.key === 'O-Z'));
      expect(keyed?.entry.seq).toBe(2);
      expect(keyed?.entry.tsInit).toBe(11n);
    });

    test('W6 size-driven flushes carry the hwm through without gaps', async () => {
      const { writer, committed } = await open({ config: { maxBatchEntries: 3 } });
      for (let i = 0; i < 20; i++) writer.submit(draft(BigInt(i)));
      expect((await writer.close(RUN_ENDED)).highWatermark).toBe(21);
      expect(committed().map((row) => row.entry.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    });

    test('W7 payloads and hashes round-trip (headers included)', async () => {
      const { writer, committed } = await open();
      const payloads = ['alpha', 'beta-omega', ''].map((text) => new TextEncoder().encode(text));
      writer.submit({ ...draft(1n, payloads[0]), headers: { correlationId: '01020304-0506-4708-890a-0b0c0d0e0f10' } });
      writer.submit({ ...draft(2n, payloads[1]), headers: { causationId: 'A1020304-0506-4708-890A-0B0C0D0E0F10' } });
      writer.submit(draft(3n, payloads[2]));
      expect((await writer.close(RUN_ENDED)).highWatermark).toBe(4);
      const rows = committed();
      expect(rows.slice(0, 3).map((row) => new TextDecoder().decode(row.entry.payload))).toEqual(['alpha', 'beta-omega', '']);
      expect(rows[0]!.entry.headers).toEqual({ correlationId: '01020304-0506-4708-890a-0b0c0d0e0f10' });
      expect(rows[1]!.entry.headers).toEqual({ causationId: 'a1020304-0506-4708-890a-0b0c0d0e0f10' });
      for (const row of rows) expect(verifyEntryHash(row.entry)).toBe(true);
    });

    test('W8 abandon commits what was accepted and does not seal', async () => {
      const { writer, committed, latestAnchor } = await open();
      writer.submit(draft(1n));
      writer.submit(draft(2n));
      expect(await writer.abandon()).toBe(2);
      expect(committed().map((row) => row.entry.seq)).toEqual([1, 2]);
      expect(latestAnchor()).toBeUndefined();
      expectSubmitError(() => writer.submit(draft(3n)), 'CLOSED');
    });

    test('W9 tsPublish is stamped from the clock at submit and strictly increases through RunEnded', async () => {
      const clock = new RealtimeClock();
      const { writer, committed } = await open({ clock });
      const before: bigint[] = [];
      for (let i = 0; i < 3; i++) {
        before.push(clock.now());
        writer.submit(draft(BigInt(i)));
      }
      await writer.close(RUN_ENDED);
      const stamps = committed().map((row) => row.entry.tsPublish);
      expect(stamps).toHaveLength(4);
      for (let i = 0; i < 3; i++) expect(stamps[i]!).toBeGreaterThanOrEqual(before[i]!);
      for (let i = 1; i < 4; i++) expect(stamps[i]!).toBeGreaterThan(stamps[i - 1]!);
    });

    test('U3 batches respect maxBatchEntries: 6 submits at batch 2 take 3 appends, close one more', async () => {
      const { writer, appendCalls } = await open({ config: { maxBatchEntries: 2, maxBatchLatencyMs: 30_000 } });
      for (let i = 0; i < 6; i++) writer.submit(draft(BigInt(i)));
      await writer.waitForDurable(6, { timeoutMs: 2000 });
      expect((await writer.close(RUN_ENDED)).highWatermark).toBe(7);
      expect(appendCalls()).toBe(4);
    });

    test('commit statistics count every commit, its entries, the largest batch and commit latency', async () => {
      const { writer } = await open({ config: { maxBatchEntries: 2, maxBatchLatencyMs: 30_000 }, appendDelayMs: 5 });
      expect(writer.commitStatistics()).toEqual({ commits: 0, entries: 0, largestBatch: 0, latencyP50Ms: 0, latencyP99Ms: 0 });
      for (let i = 0; i < 6; i++) writer.submit(draft(BigInt(i)));
      await writer.close(RUN_ENDED);
      const statistics = writer.commitStatistics();
      expect(statistics).toMatchObject({ commits: 4, entries: 7, largestBatch: 2 });
      // Every append takes at least 5 ms; a percentile is reported as its bucket's upper bound.
      expect(statistics.latencyP50Ms).toBeGreaterThanOrEqual(5);
      expect(statistics.latencyP99Ms).toBeGreaterThanOrEqual(statistics.latencyP50Ms);
    });

    test('group commit: under backlog on a slow disk one commit takes all that is staged, in order and chained', async () => {
      // 20 ms per append: at 100 entries per commit 50,000 entries would need 500 commits (10 s).
      // The queue holds them all: the inline writer's own thread cannot drain it during the loop.
      const total = 50_000;
      const { writer, halts, appendCalls, committed } = await open({ appendDelayMs: 20, config: { channelCapacity: total } });
      for (let i = 1; i <= total; i++) writer.submit(draft(BigInt(i)));
      expect(writer.acceptedSeq).toBe(total);
      expect(writer.acceptedSeq - writer.highWatermark).toBeGreaterThan(0);
      await writer.waitForDurable(total, { timeoutMs: 20_000 });
      const commits = appendCalls();
      expect(commits).toBeLessThan(100);
      expect(commits).toBeGreaterThan(1);
      const statistics = writer.commitStatistics();
      expect(statistics.commits).toBe(commits);
      expect(statistics.entries).toBe(total);
      expect(statistics.largestBatch).toBeGreaterThan(100);
      expect(statistics.latencyP50Ms).toBeGreaterThanOrEqual(20);
      const manifest = await writer.close(RUN_ENDED);
      expect(halts).toEqual([]);
      expect(manifest.highWatermark).toBe(total + 1);
      const rows = committed();
      expect(rows.map((row) => row.entry.seq)).toEqual(Array.from({ length: total + 1 }, (_, index) => index + 1));
      expect(rows.every((row) => verifyEntryHash(row.entry))).toBe(true);
      expect(manifest.chainHead).toBe(computeChainHead(rows.map((row) => row.entry.entryHash)));
    }, 30_000);

    test('a lightly loaded writer still commits at maxBatchEntries, never a group', async () => {
      const { writer, appendCalls, committed } = await open({ config: { maxBatchEntries: 10, maxBatchLatencyMs: 30_000 } });
      for (let i = 1; i <= 25; i++) writer.submit(draft(BigInt(i)));
      await writer.waitForDurable(20, { timeoutMs: 2000 });
      expect(appendCalls()).toBe(2);
      expect(committed()).toHaveLength(20);
      await writer.close(RUN_ENDED);
    });

    test('U8 a time-driven flush makes a lone entry durable without close', async () => {
      const { writer } = await open({ config: { maxBatchEntries: 100, maxBatchLatencyMs: 20 } });
      writer.submit(draft(1n));
      await writer.waitForDurable(1, { timeoutMs: 500 });
      expect(writer.highWatermark).toBe(1);
      expect((await writer.close(RUN_ENDED)).highWatermark).toBe(2);
    });

    test('U2 an anchor flushes what came before and takes the durable hwm; the replay tail starts after it', async () => {
      const { writer, committed, latestAnchor, halts } = await open({ config: { maxBatchLatencyMs: 30_000 } });
      writer.submit(draft(1n));
      writer.submit(draft(2n));
      const anchor = await writer.recordSnapshotAnchor('blob-1', 'blake3:00');
      expect(anchor).toEqual({ highWatermark: 2, blobRef: 'blob-1', contentHash: 'blake3:00' });
      expect(latestAnchor()).toEqual(anchor);
      writer.submit(draft(3n));
      writer.submit(draft(4n));
      const manifest = await writer.close(RUN_ENDED);
      expect(
        committed()
          .filter((row) => row.entry.seq > anchor.highWatermark)
          .map((row) => row.entry.seq),
      ).toEqual([3, 4, 5]);
      expect(manifest.highWatermark).toBe(5);
      expect(halts).toEqual([]);
    });

    test('an anchor with coversSeq, enqueued after later entries, anchors at that seq; one outside the accepted range or below the previous anchor is a RangeError', async () => {
      const { writer, latestAnchor, halts } = await open({ config: { maxBatchLatencyMs: 30_000 } });
      writer.submit(draft(1n));
      writer.submit(draft(2n));
      // The snapshot was taken here (it covers seqs 1 and 2); entries went on while its blob was stored.
      const covered = writer.acceptedSeq;
      writer.submit(draft(3n));
      await expect(writer.recordSnapshotAnchor('blob-x', 'blake3:00', 4)).rejects.toBeInstanceOf(RangeError);
      await expect(writer.recordSnapshotAnchor('blob-x', 'blake3:00', -1)).rejects.toBeInstanceOf(RangeError);
      await expect(writer.recordSnapshotAnchor('blob-x', 'blake3:00', 1.5)).rejects.toBeInstanceOf(RangeError);
      const anchor = await writer.recordSnapshotAnchor('blob-2', 'blake3:02', covered);
      expect(anchor).toEqual({ highWatermark: 2, blobRef: 'blob-2', contentHash: 'blake3:02' });
      expect(latestAnchor()).toEqual(anchor);
      expect(writer.highWatermark).toBe(3);
      // Older than the anchor just enqueued: refused here rather than halting the writer at the store.
      await expect(writer.recordSnapshotAnchor('blob-1', 'blake3:01', 1)).rejects.toBeInstanceOf(RangeError);
      writer.submit(draft(4n));
      expect((await writer.recordSnapshotAnchor('blob-3', 'blake3:03', 3)).highWatermark).toBe(3);
      expect((await writer.close(RUN_ENDED)).highWatermark).toBe(5);
      expect(halts).toEqual([]);
    });

    test('an anchor before any entry anchors at hwm 0', async () => {
      const { writer } = await open();
      expect((await writer.recordSnapshotAnchor('blob-0', 'blake3:00')).highWatermark).toBe(0);
      await writer.close(RUN_ENDED);
    });
  });

  describe(`${name}: argument and lifecycle errors`, () => {
    test('a malformed draft is a TypeError or RangeError and takes no seq', async () => {
      const { writer } = await open();
      expect(() => writer.submit({ ...draft(1n), topic: 'orders.*' })).toThrow(TypeError);
      expect(() => writer.submit({ ...draft(1n), topic: '  ' })).toThrow(TypeError);
      expect(() => writer.submit({ ...draft(1n), payload: [1, 2] as unknown as Uint8Array })).toThrow(TypeError);
      expect(() => writer.submit({ ...draft(1n), tsInit: 5 as unknown as bigint })).toThrow(RangeError);
      expect(() => writer.submit({ ...draft(1n), indexKeys: [{ kind: 'Bad Kind', key: 'x' }] })).toThrow(TypeError);
      expect(() => writer.submit({ ...draft(1n), headers: { correlationId: 'not-a-uuid' } })).toThrow();
      expect(writer.submit(draft(1n))).toBe(1);
      expect(writer.halted).toBe(false);
      await writer.close(RUN_ENDED);
    });

    test('close twice rejects WRITER_CLOSED; submit after close is CLOSED; an anchor after close says so', async () => {
      const { writer } = await open();
      writer.submit(draft(1n));
      const closing = writer.close(RUN_ENDED);
      expectSubmitError(() => writer.submit(draft(2n)), 'CLOSED');
      await expect(writer.recordSnapshotAnchor('b', 'h')).rejects.toMatchObject({ code: 'WRITER_CLOSED' });
      await expect(writer.close(RUN_ENDED)).rejects.toMatchObject({ code: 'WRITER_CLOSED' });
      expect((await closing).highWatermark).toBe(2);
    });

    test('waitForDurable times out with TIMEOUT while the backend is blocked, and resolves once released', async () => {
      const { writer, openGate } = await open({ gateClosed: true });
      writer.submit(draft(1n));
      await expect(writer.waitForDurable(1, { timeoutMs: 50 })).rejects.toMatchObject({ code: 'TIMEOUT' });
      openGate();
      await writer.waitForDurable(1, { timeoutMs: 2000 });
      expect(writer.highWatermark).toBe(1);
    });

    test('terminate ends a writer whose backend never answers: waits reject, later calls are refused, no halt fires', async () => {
      const harness = await open({ gateClosed: true, config: { maxBatchEntries: 1 } });
      const { writer, halts } = harness;
      writer.submit(draft(1n));
      expect(await eventually(() => harness.appendCalls() === 1)).toBe(true);
      writer.submit(draft(2n));
      const durable = writer.waitForDurable(2);
      const started = performance.now();
      await writer.terminate();
      expect(performance.now() - started).toBeLessThan(5_000);
      await expect(durable).rejects.toMatchObject({ code: 'CLOSED', message: expect.stringMatching(/run-\d+/) });
      expectSubmitError(() => writer.submit(draft(3n)), 'CLOSED');
      await expect(writer.close(RUN_ENDED)).rejects.toThrow();
      await expect(writer.recordSnapshotAnchor('b', 'h')).rejects.toThrow();
      await writer.terminate();
      expect(halts).toEqual([]);
      expect(writer.highWatermark).toBe(0);
    });

    test('waitForDurable beyond the final hwm after close rejects CLOSED', async () => {
      const { writer } = await open();
      await writer.close(RUN_ENDED);
      await writer.waitForDurable(1);
      await expect(writer.waitForDurable(5, { timeoutMs: 1000 })).rejects.toMatchObject({ code: 'CLOSED' });
    });
  });

  describe(`${name}: backpressure halt (W3, U4–U6)`, () => {
    test('W3/U4 a full queue makes submit wait up to the threshold, then halt once; accepted entries still commit', async () => {
      const threshold = 100;
      const harness = await open({
        gateClosed: true,
        config: { channelCapacity: 2, maxBatchEntries: 1, maxBatchLatencyMs: 30_000, haltThresholdMs: threshold },
      });
      const { writer, halts } = harness;
      const accepted: number[] = [writer.submit(draft(10n))];
      // Let the first append start (and block on the gate), as upstream's test does.
      expect(await eventually(() => harness.appendCalls() === 1)).toBe(true);
      let stall: SubmitError | undefined;
      let stallStarted = 0;
      let stallEnded = 0;
      for (let i = 1; i < 10 + harness.stagingSlack && stall === undefined; i++) {
        stallStarted = performance.now();
        try {
          accepted.push(writer.submit(draft(BigInt(10 + i))));
        } catch (error) {
          stallEnded = performance.now();
          stall = error as SubmitError;
        }
        if (kind === 'worker' && stall === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(stall).toBeInstanceOf(SubmitError);
      expect(stall!.code).toBe('HALT_SIGNALED');
      expect(stall!.thresholdMs).toBe(threshold);
      expect(stall!.stalledForMs!).toBeGreaterThanOrEqual(threshold);
      expect(stallEnded - stallStarted).toBeGreaterThanOrEqual(threshold - 1);
      expect(stallEnded - stallStarted).toBeLessThanOrEqual(threshold + 2000);
      expect(halts).toHaveLength(1);
      expect(halts[0]).toMatchObject({ kind: 'BackpressureStall', thresholdMs: threshold });
      expect((halts[0] as { stalledForMs: number }).stalledForMs).toBeGreaterThanOrEqual(threshold);
      expect(writer.halted).toBe(true);
      expectSubmitError(() => writer.submit(draft(99n)), 'CLOSED');
      expect(halts).toHaveLength(1);
      harness.openGate();
      const last = accepted[accepted.length - 1]!;
      expect(accepted).toEqual(Array.from({ length: accepted.length }, (_, i) => i + 1));
      await writer.waitForDurable(last, { timeoutMs: 5000 });
      expect(await writer.abandon()).toBe(last);
      const rows = harness.committed();
      expect(rows.map((row) => row.entry.seq)).toEqual(accepted);
      expect(rows.map((row) => row.entry.tsInit)).toEqual(accepted.map((seq) => BigInt(9 + seq)));
      expect(halts).toHaveLength(1);
    });

    test('U5 an anchor whose ack sees no progress past the threshold halts with "snapshot anchor ack stalled"', async () => {
      const threshold = 60;
      const harness = await open({ gateClosed: true, config: { channelCapacity: 2, haltThresholdMs: threshold, maxBatchEntries: 1 } });
      const { writer, halts } = harness;
      writer.submit(draft(1n));
      expect(await eventually(() => harness.appendCalls() === 1)).toBe(true);
      await expect(writer.recordSnapshotAnchor('blob', 'blake3:00')).rejects.toMatchObject({ code: 'TIMEOUT' });
      expectSubmitError(() => writer.submit(draft(2n)), 'CLOSED');
      expect(halts).toHaveLength(1);
      expect(halts[0]).toMatchObject({ kind: 'BackpressureStall', thresholdMs: threshold });
      expect((halts[0] as { stalledForMs: number }).stalledForMs).toBeGreaterThanOrEqual(threshold);
    });

    test('U6 an anchor that cannot enter a full queue halts with "snapshot anchor submit stalled"', async () => {
      const threshold = 60;
      const harness = await open({
        gateClosed: true,
        config: { channelCapacity: 1, haltThresholdMs: threshold, maxBatchEntries: 1, maxBatchLatencyMs: 30_000 },
      });
      const { writer, halts } = harness;
      writer.submit(draft(1n));
      expect(await eventually(() => harness.appendCalls() === 1)).toBe(true);
      // Fill what the writer holds beyond the blocked append: its staging (worker) and the queue.
      for (let i = 0; i < harness.stagingSlack + 1; i++) {
        writer.submit(draft(BigInt(2 + i)));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await expect(writer.recordSnapshotAnchor('blob', 'blake3:00')).rejects.toMatchObject({ code: 'TIMEOUT' });
      expectSubmitError(() => writer.submit(draft(9n)), 'CLOSED');
      expect(halts).toHaveLength(1);
      expect(halts[0]!.kind).toBe('BackpressureStall');
    });

    test('close after a stall halt still drains and seals Ended (upstream: close ignores the stall)', async () => {
      const harness = await open({ gateClosed: true, config: { channelCapacity: 1, maxBatchEntries: 1, haltThresholdMs: 30 } });
      const { writer } = harness;
      writer.submit(draft(1n));
      expect(await eventually(() => harness.appendCalls() === 1)).toBe(true);
      let accepted = 1;
      for (;;) {
        try {
          writer.submit(draft(2n));
          accepted++;
        } catch {
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      harness.openGate();
      const manifest = await writer.close(RUN_ENDED);
      expect(manifest).toMatchObject({ status: 'Ended', highWatermark: accepted + 1 });
    });
  });

  describe(`${name}: backend failure halts (U7)`, () => {
    test.each([
      ['DISK', 'BackendDisk', 'ENOSPC'],
      ['CORRUPTED', 'BackendCorrupted', 'bad page'],
      ['CLOSED', 'BackendError', 'backend error: injected failure'],
      ['PLAIN', 'BackendError', 'injected plain failure'],
    ] as const)('U7 an append failing with %s halts %s once; submits become CLOSED; close rejects instead of hanging', async (failure, haltKind, message) => {
      const { writer, halts } = await open({ failAppendWith: failure, config: { maxBatchEntries: 1 } });
      expect(writer.submit(draft(1n))).toBe(1);
      expect(await eventually(() => halts.length > 0)).toBe(true);
      expect(halts).toHaveLength(1);
      expect(halts[0]!.kind).toBe(haltKind);
      expect((halts[0] as { message: string }).message).toContain(message);
      if (failure === 'DISK') expect((halts[0] as { message: string }).message).not.toContain('disk error:');
      expect(writer.halted).toBe(true);
      expectSubmitError(() => writer.submit(draft(2n)), 'CLOSED');
      await expect(writer.waitForDurable(1, { timeoutMs: 2000 })).rejects.toMatchObject({ code: 'HALTED' });
      await expect(writer.close(RUN_ENDED)).rejects.toMatchObject({ code: 'WRITER_DISCONNECTED' });
      await expect(writer.recordSnapshotAnchor('b', 'h')).rejects.toBeInstanceOf(TapelogError);
      expect(halts).toHaveLength(1);
    });

    test('a failure after some batches keeps what was durable and discards the rest', async () => {
      const { writer, halts, committed } = await open({ failAppendWith: 'DISK', failAfterAppends: 2, config: { maxBatchEntries: 1 } });
      // One append each: submitted together, a slow-starting writer would commit all three as one group.
      writer.submit(draft(1n));
      await writer.waitForDurable(1, { timeoutMs: 10_000 });
      writer.submit(draft(2n));
      await writer.waitForDurable(2, { timeoutMs: 10_000 });
      writer.submit(draft(3n));
      // Three worker round trips before the halt: generous on a loaded machine.
      expect(await eventually(() => halts.length > 0, 10_000)).toBe(true);
      expect(writer.highWatermark).toBe(2);
      expect(committed().map((row) => row.entry.seq)).toEqual([1, 2]);
    });
  });

  describe(`${name}: appends in flight`, () => {
    const expected = expectedAppendsInFlight(backend);
    // Only a pipelining backend ever has two appends in flight: these run over one, for both writers.
    const overlappingTest = (title: string, body: () => Promise<void>): void => {
      if (expected === 2) test(title, body);
    };
    const seqsOf = (harness: WriterHarness): number[] => harness.committed().map((row) => row.entry.seq);
    const upTo = (last: number): number[] => Array.from({ length: last }, (_, i) => i + 1);

    test(`a backlog of full batches has exactly ${expected} append(s) in flight at once, and all land in order`, async () => {
      const harness = await open({ gateClosed: true, config: { maxBatchEntries: 2, maxBatchLatencyMs: 30_000 } });
      const { writer } = harness;
      for (let i = 1; i <= 10; i++) writer.submit(draft(BigInt(i)));
      expect(await eventually(() => harness.appendCalls() === expected)).toBe(true);
      // Time for a further append to be issued, were the writer to issue one.
      await pause(50);
      expect(harness.appendCalls()).toBe(expected);
      harness.openGate();
      await writer.waitForDurable(10, { timeoutMs: 2000 });
      expect(seqsOf(harness)).toEqual(upTo(10));
      expect((await writer.close(RUN_ENDED)).highWatermark).toBe(11);
      expect(harness.maxAppendsInFlight()).toBe(expected);
      expect(harness.halts).toEqual([]);
    });

    test('a partial batch waits for the append in flight, even past its deadline', async () => {
      const harness = await open({ gateClosed: true, config: { maxBatchEntries: 2, maxBatchLatencyMs: 1 } });
      const { writer } = harness;
      // The third entry comes once the first batch is in flight: submitted with the others, a slow
      // writer start could find all three waiting past the deadline and commit them as one group.
      writer.submit(draft(1n));
      writer.submit(draft(2n));
      expect(await eventually(() => harness.appendCalls() === 1)).toBe(true);
      writer.submit(draft(3n));
      await pause(50);
      expect(harness.appendCalls()).toBe(1);
      harness.openGate();
      await writer.waitForDurable(3, { timeoutMs: 2000 });
      expect(harness.appendCalls()).toBe(2);
      expect(harness.maxAppendsInFlight()).toBe(1);
      expect(seqsOf(harness)).toEqual(upTo(3));
    });

    test(`a sustained stream never has more than ${expected} append(s) in flight`, async () => {
      const harness = await open({ config: { maxBatchEntries: 10, maxBatchLatencyMs: 1 } });
      const { writer } = harness;
      for (let round = 0; round < 20; round++) {
        for (let i = 0; i < 100; i++) writer.submit(draft(BigInt(round * 100 + i)));
        await pause(1);
      }
      await writer.waitForDurable(2000, { timeoutMs: 5000 });
      expect(harness.maxAppendsInFlight()).toBeGreaterThanOrEqual(1);
      expect(harness.maxAppendsInFlight()).toBeLessThanOrEqual(expected);
      expect((await writer.close(RUN_ENDED)).highWatermark).toBe(2001);
      expect(seqsOf(harness)).toEqual(upTo(2001));
    });

    test('an anchor and close behind the appends in flight wait until all of them are durable', async () => {
      const harness = await open({ gateClosed: true, config: { maxBatchEntries: 2, maxBatchLatencyMs: 30_000, haltThresholdMs: 5000 } });
      const { writer } = harness;
      for (let i = 1; i <= 4; i++) writer.submit(draft(BigInt(i)));
      expect(await eventually(() => harness.appendCalls() === expected)).toBe(true);
      const anchoring = writer.recordSnapshotAnchor('blob-4', 'blake3:04');
      await pause(30);
      expect(harness.latestAnchor()).toBeUndefined();
      harness.openGate();
      expect(await anchoring).toEqual({ highWatermark: 4, blobRef: 'blob-4', contentHash: 'blake3:04' });
      writer.submit(draft(5n));
      writer.submit(draft(6n));
      const manifest = await writer.close(RUN_ENDED);
      expect(manifest).toMatchObject({ status: 'Ended', highWatermark: 7 });
      expect(manifest.chainHead).toBe(computeChainHead(harness.committed().map((row) => row.entry.entryHash)));
      expect(seqsOf(harness)).toEqual(upTo(7));
      expect(harness.halts).toEqual([]);
    });

    overlappingTest('the first of two overlapping appends fails: its failure is the halt reason, nothing after it is durable, close rejects', async () => {
      const harness = await open({ gateClosed: true, failAppendWith: 'DISK', failOnce: true, config: { maxBatchEntries: 2, maxBatchLatencyMs: 30_000 } });
      const { writer, halts } = harness;
      for (let i = 1; i <= 6; i++) writer.submit(draft(BigInt(i)));
      expect(await eventually(() => harness.appendCalls() === 2)).toBe(true);
      // The second append now meets the untouched hwm and is rejected OUT_OF_ORDER: that must not be the reason.
      harness.openGate();
      expect(await eventually(() => halts.length > 0)).toBe(true);
      await pause(50);
      expect(halts).toEqual([{ kind: 'BackendDisk', message: 'ENOSPC: no space left on device' }]);
      expect(harness.maxAppendsInFlight()).toBe(2);
      expect(harness.appendCalls()).toBe(2);
      expect(writer.highWatermark).toBe(0);
      expect(harness.committed()).toEqual([]);
      expectSubmitError(() => writer.submit(draft(7n)), 'CLOSED');
      await expect(writer.waitForDurable(1, { timeoutMs: 2000 })).rejects.toMatchObject({ code: 'HALTED' });
      const closing = writer.close(RUN_ENDED);
      // The message carries the halt reason.
      await expect(closing).rejects.toMatchObject({ code: 'WRITER_DISCONNECTED', message: expect.stringContaining('ENOSPC') });
      expect(halts).toHaveLength(1);
    });

    overlappingTest("the second of two overlapping appends fails: the first stays durable and the second's failure is the halt reason", async () => {
      const harness = await open({
        gateClosed: true,
        failAppendWith: 'CORRUPTED',
        failOnce: true,
        failAfterAppends: 1,
        config: { maxBatchEntries: 2, maxBatchLatencyMs: 30_000 },
      });
      const { writer, halts } = harness;
      for (let i = 1; i <= 8; i++) writer.submit(draft(BigInt(i)));
      expect(await eventually(() => harness.appendCalls() === 2)).toBe(true);
      harness.openGate();
      expect(await eventually(() => halts.length > 0)).toBe(true);
      await pause(50);
      expect(halts).toEqual([{ kind: 'BackendCorrupted', message: 'bad page' }]);
      expect(writer.highWatermark).toBe(2);
      expect(seqsOf(harness)).toEqual([1, 2]);
      // A third append may have gone out behind the failing one; it cannot have landed.
      expect(harness.appendCalls()).toBeLessThanOrEqual(3);
      expect(harness.maxAppendsInFlight()).toBe(2);
      await expect(writer.waitForDurable(3, { timeoutMs: 2000 })).rejects.toMatchObject({ code: 'HALTED' });
      await expect(writer.close(RUN_ENDED)).rejects.toMatchObject({ code: 'WRITER_DISCONNECTED' });
      expect(halts).toHaveLength(1);
    });

    overlappingTest(
      'a second append rejected before the first settles halts only once the first is handled, and after the first made its entries durable',
      async () => {
        const harness = await open({ gateClosed: true, rejectOnCallAtOnce: 2, config: { maxBatchEntries: 2, maxBatchLatencyMs: 30_000 } });
        const { writer, halts } = harness;
        for (let i = 1; i <= 4; i++) writer.submit(draft(BigInt(i)));
        expect(await eventually(() => harness.appendCalls() === 2)).toBe(true);
        await pause(50);
        // The first append may still fail; until it settles the second's rejection is not the reason.
        expect(halts).toEqual([]);
        expect(writer.halted).toBe(false);
        harness.openGate();
        expect(await eventually(() => halts.length > 0)).toBe(true);
        expect(halts).toEqual([{ kind: 'BackendCorrupted', message: 'append call 2 rejected at once' }]);
        expect(writer.highWatermark).toBe(2);
        expect(seqsOf(harness)).toEqual([1, 2]);
        await expect(writer.close(RUN_ENDED)).rejects.toMatchObject({ code: 'WRITER_DISCONNECTED' });
      },
    );

    overlappingTest("a second append rejected before the first settles does not displace the first one's failure as the halt reason", async () => {
      const harness = await open({
        gateClosed: true,
        failAppendWith: 'DISK',
        failOnce: true,
        rejectOnCallAtOnce: 2,
        config: { maxBatchEntries: 2, maxBatchLatencyMs: 30_000 },
      });
      const { writer, halts } = harness;
      for (let i = 1; i <= 4; i++) writer.submit(draft(BigInt(i)));
      expect(await eventually(() => harness.appendCalls() === 2)).toBe(true);
      await pause(20);
      harness.openGate();
      expect(await eventually(() => halts.length > 0)).toBe(true);
      await pause(50);
      expect(halts).toEqual([{ kind: 'BackendDisk', message: 'ENOSPC: no space left on device' }]);
      expect(writer.highWatermark).toBe(0);
      expect(harness.committed()).toEqual([]);
      await expect(writer.close(RUN_ENDED)).rejects.toMatchObject({ code: 'WRITER_DISCONNECTED', message: expect.stringContaining('ENOSPC') });
    });
  });
}
