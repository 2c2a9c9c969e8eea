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
const DOMAIN_BYTES = encoder.encode(INDEX_DIGEST_DOMAIN);

/**
 * Orders strings as their UTF-8 bytes order (by code point). JavaScript compares UTF-16 code
 * units, which disagrees only between a surrogate and a code unit at U+E000 or above; moving the
 * surrogates above that range fixes it without encoding anything.
 */
function compareUtf8Order(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointOrder(x) - codePointOrder(y);
  }
  return a.length - b.length;
}

function codePointOrder(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}

/**
 * BLAKE3(domain ‖ u32 BE kind length ‖ kind ‖ per row in UTF-8 key byte order: u32 BE key
 * length ‖ key ‖ u64 BE seq), over rows given in any order. One hash call over one buffer, and
 * no allocation per row: the verifier recomputes it over every index row of a run.
 */
export function computeIndexKindDigest(kind: string, rows: ReadonlyArray<readonly [key: string, seq: number]>): IndexKindCommitment {
  let sorted = true;
  for (let i = 1; i < rows.length && sorted; i++) if (compareUtf8Order(rows[i - 1]![0], rows[i]![0]) > 0) sorted = false;
  const ordered = sorted ? rows : rows.slice().sort((a, b) => compareUtf8Order(a[0], b[0]));
  let length = DOMAIN_BYTES.length + 4 + Buffer.byteLength(kind, 'utf8');
  for (let i = 0; i < ordered.length; i++) length += 12 + Buffer.byteLength(ordered[i]![0], 'utf8');
  const input = Buffer.allocUnsafe(length);
  input.set(DOMAIN_BYTES, 0);
  let at = DOMAIN_BYTES.length;
  at = writeLengthPrefixed(input, at, kind);
  for (let i = 0; i < ordered.length; i++) {
    const [key, seq] = ordered[i]!;
    at = writeLengthPrefixed(input, at, key);
    input.writeUInt32BE(Math.floor(seq / 4294967296), at);
    input.writeUInt32BE(seq >>> 0, at + 4);
    at += 8;
  }
  return { rows: ordered.length, digest: toHex(blake3(input)) };
}

/** Writes u32 BE UTF-8 length ‖ UTF-8 bytes of `text` at `at`; returns the offset after it. */
function writeLengthPrefixed(out: Buffer, at: number, text: string): number {
  const written = out.write(text, at + 4, 'utf8');
  out.writeUInt32BE(written, at);
  return at + 4 + written;
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
