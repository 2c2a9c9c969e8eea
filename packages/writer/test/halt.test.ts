/** The halt reasons, their mapping from backend errors (H1–H5), and the writer config defaults. */
import { backendError, closedError, corruptedError, diskError, outOfOrderError } from '@tapelog/core';
import { expect, test } from 'vitest';
import { DEFAULT_WRITER_CONFIG, type HaltReason, haltReasonFromError, noopHalt, resolveWriterConfig } from '../dist/index.js';

test('H1 DISK maps to BackendDisk with the inner message', () => {
  expect(haltReasonFromError(diskError('ENOSPC'))).toEqual({ kind: 'BackendDisk', message: 'ENOSPC' });
});

test('H2 CORRUPTED maps to BackendCorrupted with the inner message', () => {
  expect(haltReasonFromError(corruptedError('bad page'))).toEqual({ kind: 'BackendCorrupted', message: 'bad page' });
});

test('H3 every other error maps to BackendError with the full display string', () => {
  expect(haltReasonFromError(closedError())).toEqual({ kind: 'BackendError', message: 'run is closed', code: 'CLOSED' });
  expect(haltReasonFromError(backendError('no run open'))).toEqual({ kind: 'BackendError', message: 'backend error: no run open', code: 'BACKEND' });
  expect(haltReasonFromError(outOfOrderError(3, 5))).toMatchObject({
    kind: 'BackendError',
    code: 'OUT_OF_ORDER',
    message: expect.stringContaining('out-of-order seq: received 5'),
  });
  expect(haltReasonFromError(new Error('boom'))).toEqual({ kind: 'BackendError', message: 'boom' });
});

test('H4 noopHalt accepts a reason and does nothing', () => {
  expect(noopHalt()({ kind: 'BackendDisk', message: 'stall' })).toBeUndefined();
});

test('H5 the callback receives exactly the reason passed in', () => {
  const seen: HaltReason[] = [];
  const callback = (reason: HaltReason): void => {
    seen.push(reason);
  };
  callback({ kind: 'BackendDisk', message: 'stall' });
  expect(seen).toEqual([{ kind: 'BackendDisk', message: 'stall' }]);
});

test('config defaults are the documented ones; 0 capacity and 0 batch behave like 1; bad values are RangeErrors', () => {
  expect(DEFAULT_WRITER_CONFIG).toEqual({ channelCapacity: 10_000, maxBatchEntries: 100, maxBatchLatencyMs: 5, haltThresholdMs: 250 });
  expect(resolveWriterConfig()).toMatchObject({ ...DEFAULT_WRITER_CONFIG, queueBytes: 10_000 * 512 });
  expect(resolveWriterConfig({ channelCapacity: 0, maxBatchEntries: 0 })).toMatchObject({ channelCapacity: 1, maxBatchEntries: 1 });
  expect(() => resolveWriterConfig({ haltThresholdMs: -1 })).toThrow(RangeError);
  expect(() => resolveWriterConfig({ maxBatchLatencyMs: Number.NaN })).toThrow(RangeError);
});
