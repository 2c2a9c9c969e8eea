/**
 * The sealed run the byte-flip fuzz damages: entries in batches of varied sizes with payloads of
 * varied length and content, index keys of two kinds, a snapshot anchor, and a sealed marker
 * sidecar beside it, all drawn from one seeded random source so a seed rebuilds the same run.
 */
import {
  type AppendEntry,
  buildAppendEntry,
  computeRunIntegrity,
  computeSnapshotContentHash,
  INDEX_KIND_CLIENT_ORDER_ID,
  INDEX_KIND_VENUE_ORDER_ID,
  newManifest,
} from '@tapelog/core';
import type { SeededRandom } from '@tapelog/kernel-app';
import { newMarkerManifest } from '@tapelog/markers';
import { computeMarkerHash } from '@tapelog/markers/store';
import { LevelMarkerBackend, markersPath } from '@tapelog/markers-level';
import { type FuzzBackendName, fuzzBackend } from './fuzz-backend.js';

export const FUZZ_INSTANCE = 'fuzz-001';
export const FUZZ_RUN_ID = '1000-fuzzrun0';

/** Where the fuzz run (on `backend`) and its marker sidecar live under `baseDir`. */
export function fuzzRunPaths(baseDir: string, backend: FuzzBackendName): { run: string; markers: string } {
  return { run: fuzzBackend(backend).runPath(baseDir, FUZZ_INSTANCE, FUZZ_RUN_ID), markers: markersPath(baseDir, FUZZ_INSTANCE, FUZZ_RUN_ID) };
}

function payload(random: SeededRandom): Uint8Array {
  const bytes = new Uint8Array(8 + random.nextInt(400));
  // Half the payloads repeat one byte (they compress), half are noise (they do not).
  const constant = random.nextInt(2) === 0;
  const fill = random.nextInt(256);
  for (let index = 0; index < bytes.length; index++) bytes[index] = constant ? fill : random.nextInt(256);
  return bytes;
}

/** A version-4 UUID drawn from the seeded source. */
function uuid(random: SeededRandom): string {
  const bytes = Array.from({ length: 16 }, () => random.nextInt(256));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function entries(random: SeededRandom, count: number): AppendEntry[] {
  return Array.from({ length: count }, (_, index) => {
    const seq = index + 1;
    const indexKeys = [];
    if (random.nextInt(3) !== 0) indexKeys.push({ kind: INDEX_KIND_CLIENT_ORDER_ID, key: `O-${seq}-${random.nextUint32().toString(16)}` });
    if (random.nextInt(4) === 0) indexKeys.push({ kind: INDEX_KIND_VENUE_ORDER_ID, key: `V-${random.nextUint32().toString(36)}` });
    const draft = {
      headers: random.nextInt(2) === 0 ? {} : { correlationId: uuid(random) },
      topic: `events.order.O-${seq % 17}`,
      payloadType: random.nextInt(2) === 0 ? 'OrderFilled' : 'OrderAccepted',
      payload: payload(random),
      tsInit: 1_000n + BigInt(seq),
      indexKeys,
    };
    return buildAppendEntry(draft, seq, 2_000n + BigInt(seq));
  });
}

/** Writes the run (sealed Ended, with its integrity commitment) and its sealed marker sidecar. */
export async function writeFuzzRun(baseDir: string, random: SeededRandom, backend: FuzzBackendName): Promise<void> {
  const provider = fuzzBackend(backend).provider(baseDir);
  const store = await provider.openRun(newManifest({ runId: FUZZ_RUN_ID, instanceId: FUZZ_INSTANCE, startTsInit: 1_000n }));
  const all = entries(random, 200 + random.nextInt(200));
  for (let from = 0; from < all.length; ) {
    const size = 1 + random.nextInt(64);
    await store.appendBatch(all.slice(from, from + size));
    from += size;
  }
  const anchored = Math.max(1, all.length - 1 - random.nextInt(50));
  await store.recordSnapshotAnchor({ highWatermark: anchored, blobRef: `snapshots/${anchored}`, contentHash: computeSnapshotContentHash(payload(random)) });
  await store.seal('Ended', undefined, await computeRunIntegrity(store));
  await store.close();

  const markers = await LevelMarkerBackend.open(fuzzRunPaths(baseDir, backend).markers, newMarkerManifest(FUZZ_RUN_ID, ['Quote'], false));
  for (let markerSeq = 1; markerSeq <= 5; markerSeq++) {
    const snapshot = {
      markerSeq,
      eventSeqBefore: markerSeq * 20,
      tsInit: BigInt(markerSeq),
      advanced: [{ slot: 0, tsInitHi: BigInt(markerSeq * 10), count: markerSeq }],
    };
    await markers.appendSnapshot(snapshot, computeMarkerHash(snapshot));
  }
  await markers.seal('Ended');
  await markers.close();
}
