/** Snapshot-anchor area: none until recorded, round trip, never past the durable hwm, never backwards, CLOSED after seal. */

import { appendRange, expectTapelogError, INSTANCE, manifest, runWithEntries } from '../fixtures.js';
import { type ConformanceOptions, defineArea, defineCase } from '../harness.js';

export function anchorArea(options: ConformanceOptions): void {
  defineArea(options, 'snapshot anchors', 'Snapshot anchors', () => {
    defineCase(
      options,
      'no anchor until one is recorded',
      async ({ expect, provider }) => {
        const store = await provider.openRun(manifest('run-1'));
        expect(await store.latestSnapshotAnchor()).toBeUndefined();
        await appendRange(store, 2);
        expect(await store.latestSnapshotAnchor()).toBeUndefined();
      },
      ['snapshotAnchors'],
    );

    defineCase(
      options,
      'an anchor round-trips and the latest one replaces the previous',
      async ({ expect, provider }) => {
        const store = await runWithEntries(provider, manifest('run-1'), 3);
        const first = { highWatermark: 2, blobRef: 'cache://snapshots/run-1/2', contentHash: 'blake3:abc' };
        await store.recordSnapshotAnchor(first);
        expect(await store.latestSnapshotAnchor()).toEqual(first);
        const second = { highWatermark: 3, blobRef: 'cache://snapshots/run-1/3', contentHash: 'blake3:def' };
        await store.recordSnapshotAnchor(second);
        expect(await store.latestSnapshotAnchor()).toEqual(second);
      },
      ['snapshotAnchors'],
    );

    defineCase(
      options,
      'an anchor past the durable hwm is rejected',
      async ({ expect, provider }) => {
        const store = await provider.openRun(manifest('run-1'));
        await expectTapelogError(expect, store.recordSnapshotAnchor({ highWatermark: 1, blobRef: 'b', contentHash: 'c' }), 'ANCHOR_REJECTED');
        await appendRange(store, 7);
        await expectTapelogError(expect, store.recordSnapshotAnchor({ highWatermark: 8, blobRef: 'b', contentHash: 'c' }), 'ANCHOR_REJECTED');
        expect(await store.latestSnapshotAnchor()).toBeUndefined();
      },
      ['snapshotAnchors'],
    );

    defineCase(
      options,
      'an anchor older than the latest is rejected; an equal one replaces it',
      async ({ expect, provider }) => {
        const store = await runWithEntries(provider, manifest('run-1'), 10);
        await store.recordSnapshotAnchor({ highWatermark: 9, blobRef: 'nine', contentHash: 'h9' });
        await expectTapelogError(expect, store.recordSnapshotAnchor({ highWatermark: 8, blobRef: 'eight', contentHash: 'h8' }), 'ANCHOR_REJECTED');
        await store.recordSnapshotAnchor({ highWatermark: 9, blobRef: 'nine-again', contentHash: 'h9b' });
        expect((await store.latestSnapshotAnchor())?.blobRef).toBe('nine-again');
        await store.recordSnapshotAnchor({ highWatermark: 10, blobRef: 'ten', contentHash: 'h10' });
        expect((await store.latestSnapshotAnchor())?.highWatermark).toBe(10);
      },
      ['snapshotAnchors'],
    );

    defineCase(
      options,
      'recording an anchor after seal is CLOSED; the anchor stays readable',
      async ({ expect, provider }) => {
        const store = await runWithEntries(provider, manifest('run-1'), 2);
        await store.recordSnapshotAnchor({ highWatermark: 2, blobRef: 'two', contentHash: 'h2' });
        await store.seal('Ended');
        await expectTapelogError(expect, store.recordSnapshotAnchor({ highWatermark: 2, blobRef: 'b', contentHash: 'c' }), 'CLOSED');
        expect((await store.latestSnapshotAnchor())?.blobRef).toBe('two');
      },
      ['snapshotAnchors'],
    );

    defineCase(
      options,
      'the anchor is there for a sealed read-only reader',
      async ({ expect, provider }) => {
        const store = await runWithEntries(provider, manifest('run-1'), 2);
        const anchor = { highWatermark: 2, blobRef: 'cache://snapshots/run-1/2', contentHash: 'blake3:abc' };
        await store.recordSnapshotAnchor(anchor);
        await store.seal('Ended');
        await store.close();
        const reader = await provider.openSealed(INSTANCE, 'run-1');
        expect(await reader.latestSnapshotAnchor()).toEqual(anchor);
      },
      ['snapshotAnchors', 'readOnlyOpen'],
    );

    defineCase(options, 'a backend without anchor support says NOT_SUPPORTED and reads no anchor', async ({ expect, provider, skip }) => {
      if (provider.capabilities.snapshotAnchors) {
        skip('backend supports snapshot anchors');
        return;
      }
      const store = await runWithEntries(provider, manifest('run-1'), 1);
      await expectTapelogError(expect, store.recordSnapshotAnchor({ highWatermark: 1, blobRef: 'b', contentHash: 'c' }), 'NOT_SUPPORTED');
      expect(await store.latestSnapshotAnchor()).toBeUndefined();
    });
  });
}
