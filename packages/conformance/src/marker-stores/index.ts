/**
 * @tapelog/conformance/marker-stores: the shared suite for marker stores (the delivery-marker
 * sidecar's storage). Call `runMarkerStoreConformance` from one test file with your runner's
 * `test` and `describe` and an `open` that opens a fresh store for a run.
 */
import type { SealedRunStatus } from '@tapelog/core';
import { type DescribeFunction, type ExpectFunction, explainFailure, type TestFunction } from '../harness.js';
import type { CursorSnapshotRecord, HiFiRecord, MarkerStoreManifest, MarkerStoreUnderTest } from './marker-store.js';

export type * from './marker-store.js';

/** Where the marker-store rules are written down. */
export const MARKER_RULES_DOCUMENT = "@tapelog/conformance README, section 'Marker stores'";

export interface MarkerStoreConformanceOptions {
  test: TestFunction;
  describe: DescribeFunction;
  /** Opens a fresh store (new, empty storage) for a run with this manifest. */
  open: (manifest: MarkerStoreManifest) => Promise<MarkerStoreUnderTest>;
  /** Persistent stores: after `store` was closed, opens its storage again to read it. */
  reopen?: (store: MarkerStoreUnderTest) => Promise<MarkerStoreUnderTest>;
  /** Releases what `open` created; runs after every test with every store it opened. */
  cleanup?: (store: MarkerStoreUnderTest) => void | Promise<void>;
  timeoutMs?: number;
}

interface MarkerCaseContext {
  expect: ExpectFunction;
  open: () => Promise<MarkerStoreUnderTest>;
  options: MarkerStoreConformanceOptions;
  skip(note?: string): void;
}

const RUN_ID = 'run-markers';
const SEALED: readonly SealedRunStatus[] = ['Ended', 'CrashedRecovered', 'Quarantined'];

function freshManifest(): MarkerStoreManifest {
  return {
    runId: RUN_ID,
    enabledClasses: ['Quote', 'Trade'],
    highFidelity: true,
    snapshotCount: 0,
    hifiCount: 0,
    gapCount: 0,
    dictCount: 0,
    status: 'Running',
  };
}

const hash = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const snapshot = (markerSeq: number): CursorSnapshotRecord => ({
  markerSeq,
  eventSeqBefore: markerSeq * 2,
  tsInit: BigInt(markerSeq) * 100n,
  advanced: [{ slot: 0, tsInitHi: 5n, count: markerSeq }],
});
const hifi = (markerSeq: number): HiFiRecord => ({
  markerSeq,
  eventSeqBefore: 1,
  slot: 0,
  tsEvent: 7n,
  tsInit: 9n,
  sameTsOrdinal: 0,
  recordFingerprint: hash(markerSeq),
});

function defineMarkerCase(options: MarkerStoreConformanceOptions, name: string, body: (context: MarkerCaseContext) => Promise<void>): void {
  options.test(
    name,
    async (context) => {
      const opened: MarkerStoreUnderTest[] = [];
      const open = async (): Promise<MarkerStoreUnderTest> => {
        const store = await options.open(freshManifest());
        opened.push(store);
        return store;
      };
      try {
        await body({ expect: context.expect, skip: context.skip, open, options });
      } catch (error) {
        throw explainFailure(error, name, undefined, MARKER_RULES_DOCUMENT);
      } finally {
        for (const store of opened) {
          await store.close().catch(() => undefined);
          await options.cleanup?.(store);
        }
      }
    },
    options.timeoutMs ?? 30_000,
  );
}

async function expectCode(expect: ExpectFunction, action: Promise<unknown>, code: string, what: string): Promise<void> {
  const caught = await action.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect((caught as { code?: unknown } | undefined)?.code, `${what} must reject with ${code}, got ${String(caught)}`).toBe(code);
}

export function runMarkerStoreConformance(options: MarkerStoreConformanceOptions): void {
  options.describe('tapelog marker store conformance', () => {
    defineMarkerCase(options, 'a fresh store is Running with zero counts, for the run it was opened for, and names its location', async ({ expect, open }) => {
      const store = await open();
      const manifest = await store.manifest();
      expect([manifest.runId, manifest.status, manifest.snapshotCount, manifest.hifiCount, manifest.gapCount, manifest.dictCount]).toEqual([
        RUN_ID,
        'Running',
        0,
        0,
        0,
        0,
      ]);
      expect(manifest.enabledClasses).toEqual(['Quote', 'Trade']);
      expect(typeof store.location === 'string' && store.location.length > 0, 'location must be a non-empty string').toBe(true);
    });

    defineMarkerCase(options, 'rows read back in key order whatever the write order, with their hashes stored verbatim', async ({ expect, open }) => {
      const store = await open();
      for (const seq of [3, 1, 2]) await store.appendSnapshot(snapshot(seq), hash(seq));
      for (const seq of [5, 4]) await store.appendHiFi(hifi(seq), hash(seq + 10));
      await store.appendGap({ fromMarkerSeq: 20, toMarkerSeq: 20, reason: 'WriterClosed' }, hash(21));
      await store.appendGap({ fromMarkerSeq: 6, toMarkerSeq: 9, reason: 'Overflow' }, hash(22));
      await store.putDict({ slot: 1, dataClass: 'Trade', identifier: 'ETH-USDT' }, hash(31));
      await store.putDict({ slot: 0, dataClass: 'Quote', identifier: 'BTC-USDT' }, hash(30));
      const snapshots = await store.scanSnapshots();
      expect(
        snapshots.map((row) => row.record),
        'snapshots ascend by markerSeq and round-trip every field',
      ).toEqual([snapshot(1), snapshot(2), snapshot(3)]);
      expect(
        snapshots.map((row) => [...row.hash]),
        'hashes are stored verbatim',
      ).toEqual([1, 2, 3].map((n) => [...hash(n)]));
      const hifis = await store.scanHiFi();
      expect(
        hifis.map((row) => row.record.markerSeq),
        'hifi markers ascend by markerSeq',
      ).toEqual([4, 5]);
      expect([...hifis[0]!.record.recordFingerprint]).toEqual([...hash(4)]);
      expect(
        (await store.scanGaps()).map((row) => row.record.fromMarkerSeq),
        'gaps ascend by fromMarkerSeq',
      ).toEqual([6, 20]);
      expect(
        (await store.scanDict()).map((row) => row.record.identifier),
        'dictionary entries ascend by slot',
      ).toEqual(['BTC-USDT', 'ETH-USDT']);
    });

    defineMarkerCase(options, 'one write of several kinds commits every row and advances every count', async ({ expect, open }) => {
      const store = await open();
      await store.write([
        { kind: 'Dict', record: { slot: 0, dataClass: 'Quote', identifier: 'A' }, hash: hash(1) },
        { kind: 'Snapshot', record: snapshot(1), hash: hash(2) },
        { kind: 'HiFi', record: hifi(2), hash: hash(3) },
        { kind: 'Gap', record: { fromMarkerSeq: 3, toMarkerSeq: 4, reason: 'Overflow' }, hash: hash(4) },
      ]);
      const manifest = await store.manifest();
      expect([manifest.snapshotCount, manifest.hifiCount, manifest.gapCount, manifest.dictCount], 'manifest counts commit with the rows').toEqual([1, 1, 1, 1]);
      expect((await store.scanHiFi()).length + (await store.scanGaps()).length + (await store.scanSnapshots()).length + (await store.scanDict()).length).toBe(
        4,
      );
    });

    defineMarkerCase(options, 'dictionary entries are write-once by slot: a second put is ignored and not counted', async ({ expect, open }) => {
      const store = await open();
      await store.putDict({ slot: 0, dataClass: 'Quote', identifier: 'first' }, hash(1));
      await store.putDict({ slot: 0, dataClass: 'Trade', identifier: 'remap' }, hash(2));
      expect((await store.scanDict()).map((row) => row.record.identifier)).toEqual(['first']);
      expect((await store.manifest()).dictCount).toBe(1);
    });

    for (const status of SEALED) {
      defineMarkerCase(options, `seal ${status} sets the status; later writes and a second seal are CLOSED; reads keep working`, async ({ expect, open }) => {
        const store = await open();
        await store.appendSnapshot(snapshot(1), hash(1));
        expect((await store.seal(status)).status).toBe(status);
        expect((await store.manifest()).status).toBe(status);
        await expectCode(expect, store.appendSnapshot(snapshot(2), hash(2)), 'CLOSED', 'a write after seal');
        await expectCode(expect, store.seal('Ended'), 'CLOSED', 'a second seal');
        expect((await store.scanSnapshots()).length).toBe(1);
      });
    }

    defineMarkerCase(options, "seal('Running') is INVALID_ARGUMENT and the store stays writable", async ({ expect, open }) => {
      const store = await open();
      await expectCode(expect, store.seal('Running' as SealedRunStatus), 'INVALID_ARGUMENT', "seal('Running')");
      expect((await store.manifest()).status).toBe('Running');
      await store.appendSnapshot(snapshot(1), hash(1));
      expect((await store.manifest()).snapshotCount).toBe(1);
    });

    defineMarkerCase(options, 'close is idempotent', async ({ open }) => {
      const store = await open();
      await store.close();
      await store.close();
    });

    defineMarkerCase(options, 'rows, hashes and counts survive closing and reopening the store', async ({ expect, open, options: suite, skip }) => {
      if (suite.reopen === undefined) {
        skip('no reopen option: the marker store is not persistent');
        return;
      }
      const store = await open();
      await store.appendSnapshot(snapshot(1), hash(1));
      await store.putDict({ slot: 0, dataClass: 'Quote', identifier: 'A' }, hash(2));
      await store.seal('Ended');
      await store.close();
      const again = await suite.reopen(store);
      try {
        expect((await again.scanSnapshots()).map((row) => [row.record, [...row.hash]])).toEqual([[snapshot(1), [...hash(1)]]]);
        const manifest = await again.manifest();
        expect([manifest.status, manifest.snapshotCount, manifest.dictCount]).toEqual(['Ended', 1, 1]);
      } finally {
        await again.close();
      }
    });
  });
}
