/** Damage area (needs tamper hooks): gaps, garbled rows, garbled anchors, missing manifests, unsupported formats. */
import { type EventStore, encodeEntry, STORE_FORMAT_VERSION, type TamperHooks } from '@tapelog/core';
import { expectTapelogError, INSTANCE, manifest, runWithEntries } from '../fixtures.js';
import { type ConformanceOptions, defineArea, defineCase, type TrackedProvider } from '../harness.js';

const GARBAGE = new Uint8Array(8).fill(0xff);

/** Closes `store` (run-1), damages it through the provider's tamper hooks and opens it again for recovery. */
async function reopenedAfter(provider: TrackedProvider, store: EventStore, damage: (tamper: TamperHooks) => Promise<void>): Promise<EventStore> {
  await store.close();
  await damage(provider.inner.tamper!);
  return provider.openForRecovery(INSTANCE, 'run-1');
}

export function tamperArea(options: ConformanceOptions): void {
  defineArea(options, 'damage', 'Damage found on read', () => {
    defineCase(
      options,
      'a deleted middle row keeps the hwm (largest key) and reads report GAP',
      async ({ expect, provider }) => {
        const store = await runWithEntries(provider, manifest('run-1'), 3);
        await store.close();
        await provider.inner.tamper!.deleteEntry(INSTANCE, 'run-1', 2);
        await expectTapelogError(expect, provider.openRun(manifest('run-1')), 'CRASHED_PREDECESSOR');
        const recovered = await provider.openForRecovery(INSTANCE, 'run-1');
        expect(await recovered.highWatermark()).toBe(3);
        for (const read of [() => recovered.scanSeq(2), () => recovered.scanRange(1, 3)]) {
          const gap = await expectTapelogError(expect, read, 'GAP');
          expect([gap.prev, gap.next, gap.missing]).toEqual([1, 3, 2]);
        }
        expect((await recovered.scanSeq(1))?.seq).toBe(1);
      },
      ['tamper'],
    );

    defineCase(
      options,
      'rows missing at the end of a range report a GAP whose next is hi + 1',
      async ({ expect, provider }) => {
        const store = await runWithEntries(provider, manifest('run-1'), 5);
        const recovered = await reopenedAfter(provider, store, async (tamper) => {
          await tamper.deleteEntry(INSTANCE, 'run-1', 3);
          await tamper.deleteEntry(INSTANCE, 'run-1', 4);
        });
        expect(await recovered.highWatermark()).toBe(5);
        const gap = await expectTapelogError(expect, recovered.scanRange(1, 4), 'GAP');
        expect([gap.prev, gap.next, gap.missing]).toEqual([2, 5, 3]);
      },
      ['tamper'],
    );

    defineCase(
      options,
      'garbled entry bytes do not block opening; reads report CORRUPTED naming the seq',
      async ({ expect, provider }) => {
        const store = await runWithEntries(provider, manifest('run-1'), 3);
        const recovered = await reopenedAfter(provider, store, (tamper) => tamper.overwriteEntry(INSTANCE, 'run-1', 2, GARBAGE));
        expect(await recovered.highWatermark()).toBe(3);
        expect((await expectTapelogError(expect, recovered.scanSeq(2), 'CORRUPTED')).seq).toBe(2);
        expect((await expectTapelogError(expect, recovered.scanRange(1, 3), 'CORRUPTED')).seq).toBe(2);
        expect((await recovered.scanSeq(3))?.seq).toBe(3);
      },
      ['tamper'],
    );

    defineCase(
      options,
      'a truncated row and a row with trailing bytes are CORRUPTED, never data',
      async ({ expect, provider }) => {
        const store = await runWithEntries(provider, manifest('run-1'), 2);
        const [first, second] = await store.scanRange(1, 2);
        const full = encodeEntry(first!);
        const extended = new Uint8Array(encodeEntry(second!).length + 1);
        extended.set(encodeEntry(second!));
        const recovered = await reopenedAfter(provider, store, async (tamper) => {
          await tamper.overwriteEntry(INSTANCE, 'run-1', 1, full.subarray(0, full.length - 1));
          await tamper.overwriteEntry(INSTANCE, 'run-1', 2, extended);
        });
        expect((await expectTapelogError(expect, recovered.scanSeq(1), 'CORRUPTED')).seq).toBe(1);
        expect((await expectTapelogError(expect, recovered.scanSeq(2), 'CORRUPTED')).seq).toBe(2);
      },
      ['tamper'],
    );

    defineCase(
      options,
      'a row stored under the wrong seq fails its hash check',
      async ({ expect, provider }) => {
        const store = await runWithEntries(provider, manifest('run-1'), 3);
        const [second] = await store.scanRange(2, 2);
        const recovered = await reopenedAfter(provider, store, (tamper) => tamper.overwriteEntry(INSTANCE, 'run-1', 3, encodeEntry({ ...second!, seq: 3 })));
        const error = await expectTapelogError(expect, recovered.scanSeq(3), 'HASH_MISMATCH');
        expect(error.seq).toBe(3);
      },
      ['tamper'],
    );

    defineCase(
      options,
      'scanEntryHashes and scanRecords, where offered, fail on damage exactly as scanRange does',
      async ({ expect, provider }) => {
        const count = 600;
        const store = await runWithEntries(provider, manifest('run-1'), count);
        const [before] = await store.scanRange(399, 399);
        const recovered = await reopenedAfter(provider, store, async (tamper) => {
          await tamper.overwriteEntry(INSTANCE, 'run-1', 300, GARBAGE);
          await tamper.overwriteEntry(INSTANCE, 'run-1', 400, encodeEntry({ ...before!, seq: 400 }));
          await tamper.deleteEntry(INSTANCE, 'run-1', 500);
        });
        const scanHashes = recovered.scanEntryHashes?.bind(recovered);
        const scanRecords = recovered.scanRecords?.bind(recovered);
        for (const [from, to, code, seq] of [
          [1, count, 'CORRUPTED', 300],
          [301, count, 'HASH_MISMATCH', 400],
          [401, count, 'GAP', 500],
        ] as const) {
          const fromScan = await expectTapelogError(expect, recovered.scanRange(from, to), code);
          const failedSeq = code === 'GAP' ? fromScan.missing : fromScan.seq;
          expect(failedSeq).toBe(seq);
          for (const scan of [scanHashes, scanRecords]) {
            if (scan === undefined) continue;
            const fromScanWithoutEntries = await expectTapelogError(expect, scan(from, to), code);
            expect([fromScanWithoutEntries.seq, fromScanWithoutEntries.missing, fromScanWithoutEntries.detail]).toEqual([
              fromScan.seq,
              fromScan.missing,
              fromScan.detail,
            ]);
          }
        }
        const tail = await recovered.scanRange(501, count);
        expect(tail).toHaveLength(count - 500);
        if (scanHashes !== undefined) expect((await scanHashes(501, count)).to).toBe(count);
        if (scanRecords !== undefined) expect((await scanRecords(501, count)).to).toBe(count);
      },
      ['tamper'],
    );

    defineCase(
      options,
      'reverse scans report the first problem in ascending seq order',
      async ({ expect, provider }) => {
        const store = await runWithEntries(provider, manifest('run-1'), 4);
        const recovered = await reopenedAfter(provider, store, async (tamper) => {
          await tamper.overwriteEntry(INSTANCE, 'run-1', 2, GARBAGE);
          await tamper.deleteEntry(INSTANCE, 'run-1', 3);
        });
        expect((await expectTapelogError(expect, recovered.scanRange(1, 4, 'reverse'), 'CORRUPTED')).seq).toBe(2);
      },
      ['tamper'],
    );

    defineCase(
      options,
      'a garbled anchor reads as CORRUPTED while the run still opens',
      async ({ expect, provider }) => {
        const store = await runWithEntries(provider, manifest('run-1'), 2);
        await store.recordSnapshotAnchor({ highWatermark: 2, blobRef: 'b', contentHash: 'c' });
        await store.seal('Ended');
        await store.close();
        await provider.inner.tamper!.overwriteAnchor(INSTANCE, 'run-1', GARBAGE);
        const reader = provider.capabilities.readOnlyOpen ? await provider.openSealed(INSTANCE, 'run-1') : undefined;
        if (reader) await expectTapelogError(expect, reader.latestSnapshotAnchor(), 'CORRUPTED', 'run-1');
        expect(reader === undefined || (await reader.highWatermark()) === 2).toBe(true);
      },
      ['tamper', 'snapshotAnchors'],
    );

    defineCase(
      options,
      'a run without a manifest is CORRUPTED to open and skipped by listRuns',
      async ({ expect, provider }) => {
        const healthy = await provider.openRun(manifest('run-ok', 1n));
        await healthy.seal('Ended');
        await healthy.close();
        const broken = await runWithEntries(provider, manifest('run-broken', 2n), 1);
        await broken.close();
        await provider.inner.tamper!.deleteManifest(INSTANCE, 'run-broken');
        await expectTapelogError(expect, provider.openRun(manifest('run-broken')), 'CORRUPTED', 'run-broken');
        await expectTapelogError(expect, provider.openForRecovery(INSTANCE, 'run-broken'), 'CORRUPTED', 'run-broken');
        expect((await provider.listRuns(INSTANCE)).map((run) => run.runId)).toEqual(['run-ok']);
      },
      ['tamper'],
    );

    defineCase(
      options,
      'a missing or future store-format marker is UNSUPPORTED_FORMAT on open and fails the whole listing',
      async ({ expect, provider }) => {
        const healthy = await provider.openRun(manifest('run-ok', 1n));
        await healthy.seal('Ended');
        await healthy.close();
        const future = STORE_FORMAT_VERSION + 1;
        for (const marker of [undefined, future]) {
          const store = await provider.openRun(manifest(`run-format-${marker ?? 'none'}`, 2n));
          await store.close();
          await provider.inner.tamper!.setFormatMarker(INSTANCE, `run-format-${marker ?? 'none'}`, marker);
          await expectTapelogError(
            expect,
            provider.openForRecovery(INSTANCE, `run-format-${marker ?? 'none'}`),
            'UNSUPPORTED_FORMAT',
            `run-format-${marker ?? 'none'}`,
          );
          await expectTapelogError(expect, provider.listRuns(INSTANCE), 'UNSUPPORTED_FORMAT', `run-format-${marker ?? 'none'}`);
          await provider.inner.tamper!.setFormatMarker(INSTANCE, `run-format-${marker ?? 'none'}`, STORE_FORMAT_VERSION);
        }
        expect((await provider.listRuns(INSTANCE)).length).toBe(3);
      },
      ['tamper'],
    );
  });
}
