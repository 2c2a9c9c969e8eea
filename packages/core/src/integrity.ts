/**
 * A sealed run's commitment to the rows its entry chain does not cover: a digest and row count
 * per index kind and a digest of the snapshot anchor. Sealers compute it over any `EventStore`
 * before sealing; the verifier recomputes it, so a row that vanishes or changes is a finding.
 */
import type { EventStore } from './backend.js';
import { blake3 } from './blake3.js';
import { encodeAnchor } from './codec/record-codec.js';
import { toHex } from './hex.js';
import type { IndexKindCommitment, RunIntegrity, SnapshotAnchor } from './types.js';

export const INDEX_DIGEST_DOMAIN = 'tapelog/index/v1';
export const ANCHOR_DIGEST_DOMAIN = 'tapelog/anchor/v1';

const encoder = new TextEncoder();

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * BLAKE3(domain ‖ u32 BE kind length ‖ kind ‖ per row in UTF-8 key byte order: u32 BE key
 * length ‖ key ‖ u64 BE seq), over rows given in any order. One hash call over one buffer:
 * per-row hashing would cost the verifier a third of its throughput.
 */
export function computeIndexKindDigest(kind: string, rows: ReadonlyArray<readonly [key: string, seq: number]>): IndexKindCommitment {
  const domain = encoder.encode(INDEX_DIGEST_DOMAIN);
  const kindBytes = encoder.encode(kind);
  const keys = rows.map(([key, seq]) => ({ bytes: encoder.encode(key), seq }));
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) if (compareBytes(keys[i - 1]!.bytes, keys[i]!.bytes) > 0) sorted = false;
  if (!sorted) keys.sort((a, b) => compareBytes(a.bytes, b.bytes));
  let length = domain.length + 4 + kindBytes.length;
  for (const key of keys) length += 12 + key.bytes.length;
  const input = new Uint8Array(length);
  const view = new DataView(input.buffer);
  input.set(domain, 0);
  let at = domain.length;
  view.setUint32(at, kindBytes.length);
  input.set(kindBytes, at + 4);
  at += 4 + kindBytes.length;
  for (const { bytes, seq } of keys) {
    view.setUint32(at, bytes.length);
    input.set(bytes, at + 4);
    at += 4 + bytes.length;
    view.setUint32(at, Math.floor(seq / 4294967296));
    view.setUint32(at + 4, seq >>> 0);
    at += 8;
  }
  return { rows: keys.length, digest: toHex(blake3(input)) };
}

/** Hex BLAKE3(domain ‖ encoded anchor), or null when there is no anchor. */
export function computeAnchorDigest(anchor: SnapshotAnchor | undefined): string | null {
  if (anchor === undefined) return null;
  const domain = encoder.encode(ANCHOR_DIGEST_DOMAIN);
  const record = encodeAnchor(anchor);
  const input = new Uint8Array(domain.length + record.length);
  input.set(domain, 0);
  input.set(record, domain.length);
  return toHex(blake3(input));
}

/** Reads every index row and the anchor of an open run and commits to them, for `seal`. */
export async function computeRunIntegrity(store: EventStore): Promise<RunIntegrity> {
  const kinds = (await store.indexKinds()).slice().sort();
  const indexKinds: Record<string, IndexKindCommitment> = {};
  for (const kind of kinds) indexKinds[kind] = computeIndexKindDigest(kind, await store.iterIndexKeys(kind));
  return { indexKinds, anchor: computeAnchorDigest(await store.latestSnapshotAnchor()) };
}
