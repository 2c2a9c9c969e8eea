import { describe, expect, test } from 'vitest';
import {
  assertSafePathSegment,
  assertValidDraft,
  buildRunId,
  checkStoreFormat,
  isCanonicalUuid4,
  isDiskPressure,
  isRunId,
  isSealed,
  isUnsupportedStoreFormat,
  isValidTopic,
  outOfOrderError,
  RealtimeClock,
  SimulatedClock,
  STORE_FORMAT_VERSION,
  TapelogError,
  uuidFromBytes,
  uuidToBytes,
  validateSnapshotAnchor,
} from '../src/index.js';

describe('errors', () => {
  test('codes and upstream message substrings are stable', () => {
    const error = outOfOrderError(7, 9);
    expect(error.code).toBe('OUT_OF_ORDER');
    expect(error.message).toBe('out-of-order seq: received 9, expected contiguous after high-watermark 7');
    expect([error.highWatermark, error.seq]).toEqual([7, 9]);
    expect(error).toBeInstanceOf(Error);
  });

  test('isInstance recognises an error from another copy of the package by its brand', () => {
    const foreign = Object.assign(new Error('x'), { code: 'CLOSED' });
    Object.defineProperty(foreign, Symbol.for('tapelog.error'), { value: true });
    expect(TapelogError.isInstance(foreign)).toBe(true);
    expect(TapelogError.isInstance(new Error('plain'))).toBe(false);
    expect(TapelogError.isInstance(null)).toBe(false);
    expect(TapelogError.hasCode(foreign, 'CLOSED')).toBe(true);
    expect(TapelogError.hasCode(foreign, 'DISK')).toBe(false);
  });

  test('disk pressure is ENOSPC, EFBIG and EDQUOT only', () => {
    for (const code of ['ENOSPC', 'EFBIG', 'EDQUOT']) expect(isDiskPressure({ code })).toBe(true);
    for (const code of ['EIO', 'ENOENT', 'EACCES', 'EPERM', 'EINTR']) expect(isDiskPressure({ code })).toBe(false);
    expect(isDiskPressure(new Error('IO error: No space left on device'))).toBe(true);
  });
});

describe('validation', () => {
  test('topics: non-empty, not all whitespace, no wildcards', () => {
    expect(isValidTopic('exec.command')).toBe(true);
    for (const bad of ['', '   ', 'data.*', 'a?b', 7]) expect(isValidTopic(bad)).toBe(false);
  });

  test('drafts are checked field by field with TypeError or RangeError', () => {
    const good = { headers: {}, topic: 't', payloadType: 'p', payload: new Uint8Array(), tsInit: 1n, indexKeys: [] };
    expect(() => assertValidDraft(good)).not.toThrow();
    expect(() => assertValidDraft({ ...good, topic: 'a*' })).toThrow(TypeError);
    expect(() => assertValidDraft({ ...good, tsInit: 1 as unknown as bigint })).toThrow(RangeError);
    expect(() => assertValidDraft({ ...good, payload: [1] as unknown as Uint8Array })).toThrow(TypeError);
    expect(() => assertValidDraft({ ...good, headers: { correlationId: 'nope' } })).toThrow(TypeError);
    expect(() => assertValidDraft({ ...good, indexKeys: [{ kind: 'Bad', key: 'x' }] })).toThrow(TypeError);
  });

  test('UUIDs must be version 4 with the RFC-4122 variant', () => {
    expect(isCanonicalUuid4('01020304-0506-4708-890a-0b0c0d0e0f10')).toBe(true);
    expect(isCanonicalUuid4('01020304-0506-4708-890A-0B0C0D0E0F10')).toBe(false);
    for (const bad of [
      '01020304-0506-1708-890a-0b0c0d0e0f10', // version 1
      '01020304-0506-4708-c90a-0b0c0d0e0f10', // variant bits 11
      '01020304-0506-4708-790a-0b0c0d0e0f10', // variant bits 01
      '0102030405-06-4708-890a-0b0c0d0e0f10', // dash moved
      '01020304-0506-4708-890a-0b0c0d0e0f1g', // not hex
      '01020304-0506-4708-890a-0b0c0d0e0f1', // too short
      '{1020304-0506-4708-890a-0b0c0d0e0f10}',
    ]) {
      expect(isCanonicalUuid4(bad), bad).toBe(false);
    }
    for (const variant of ['8', '9', 'a', 'b']) expect(isCanonicalUuid4(`01020304-0506-4708-${variant}90a-0b0c0d0e0f10`)).toBe(true);
  });

  test('isCanonicalUuid4 agrees with parse-then-format on random near-UUID text', () => {
    const alphabet = '0123456789abcdefABx-';
    let state = 7;
    const next = (limit: number) => {
      state = (state * 1103515245 + 12345) >>> 0;
      return state % limit;
    };
    let accepted = 0;
    for (let round = 0; round < 20_000; round++) {
      const base = `${next(2) ? '0a0b0c0d' : 'ffffffff'}-0506-4${next(10)}08-${'89abc7'[next(6)]}90a-0b0c0d0e0f10`;
      const chars = base.split('');
      if (next(3) === 0) chars[next(36)] = alphabet[next(alphabet.length)]!;
      const text = chars.join('');
      let reference = false;
      try {
        reference = uuidFromBytes(uuidToBytes(text)) === text;
      } catch {
        reference = false;
      }
      expect(isCanonicalUuid4(text), text).toBe(reference);
      if (reference) accepted++;
    }
    expect(accepted).toBeGreaterThan(1000);
    expect(() => uuidToBytes('01020304-0506-1708-890a-0b0c0d0e0f10')).toThrow(RangeError);
    expect(() => uuidToBytes('01020304-0506-4708-c90a-0b0c0d0e0f10')).toThrow(RangeError);
  });

  test('run ids are <startTsInit>-<8 hex> and path segments cannot escape', () => {
    const runId = buildRunId(1_700_000_000n, 'abcd1234-5678-4abc-8def-0123456789ab');
    expect(runId).toBe('1700000000-abcd1234');
    expect(isRunId(runId)).toBe(true);
    expect(isRunId(buildRunId(5n))).toBe(true);
    for (const bad of ['..', '.', 'a/b', '', 'a\\b']) expect(() => assertSafePathSegment('runId', bad)).toThrow(TypeError);
    expect(() => assertSafePathSegment('runId', runId)).not.toThrow();
  });

  test('snapshot anchors: never past the durable hwm, never older than the latest, equal allowed', () => {
    expect(() => validateSnapshotAnchor({ highWatermark: 8, blobRef: '', contentHash: '' }, 7, undefined)).toThrow(
      expect.objectContaining({ code: 'ANCHOR_REJECTED' }),
    );
    expect(() => validateSnapshotAnchor({ highWatermark: 8, blobRef: '', contentHash: '' }, 10, { highWatermark: 9, blobRef: '', contentHash: '' })).toThrow(
      expect.objectContaining({ code: 'ANCHOR_REJECTED' }),
    );
    expect(() =>
      validateSnapshotAnchor({ highWatermark: 9, blobRef: '', contentHash: '' }, 10, { highWatermark: 9, blobRef: '', contentHash: '' }),
    ).not.toThrow();
    expect(() =>
      validateSnapshotAnchor({ highWatermark: 10, blobRef: '', contentHash: '' }, 10, { highWatermark: 9, blobRef: '', contentHash: '' }),
    ).not.toThrow();
  });

  test('isSealed matches status', () => {
    expect(isSealed('Running')).toBe(false);
    for (const status of ['Ended', 'CrashedRecovered', 'Quarantined'] as const) expect(isSealed(status)).toBe(true);
  });

  test('store format: missing, older and future markers are unsupported formats', () => {
    expect(() => checkStoreFormat(STORE_FORMAT_VERSION, '/x')).not.toThrow();
    expect(() => checkStoreFormat(1, '/x', 1)).not.toThrow();
    for (const marker of [undefined, STORE_FORMAT_VERSION - 1, STORE_FORMAT_VERSION + 1]) {
      let caught: unknown;
      try {
        checkStoreFormat(marker, '/runs/run-1.level');
      } catch (error) {
        caught = error;
      }
      expect(isUnsupportedStoreFormat(caught)).toBe(true);
      expect(caught).toMatchObject({ code: 'UNSUPPORTED_FORMAT', message: expect.stringContaining('/runs/run-1.level') });
    }
  });
});

describe('clocks', () => {
  test('the simulated clock moves only when told, never backwards', () => {
    const clock = new SimulatedClock(5n);
    expect(clock.now()).toBe(5n);
    expect(clock.advance(10n)).toBe(15n);
    expect(() => clock.set(1n)).toThrow(RangeError);
  });

  test('the realtime clock is strictly increasing and near the wall clock', () => {
    const clock = new RealtimeClock();
    let last = clock.now();
    for (let i = 0; i < 10_000; i++) {
      const now = clock.now();
      expect(now > last).toBe(true);
      last = now;
    }
    const wall = BigInt(Date.now()) * 1_000_000n;
    expect(last > wall - 5_000_000_000n && last < wall + 5_000_000_000n).toBe(true);
  });
});
