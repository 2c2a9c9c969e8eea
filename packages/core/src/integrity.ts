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
  const input = encodeKindRows(kind, rows, DOMAIN_BYTES.length);
  input.set(DOMAIN_BYTES, 0);
  return { rows: rows.length, digest: toHex(blake3(input)) };
}

/**
 * The digest input of one kind after `prefix` reserved bytes: u32 BE kind length ‖ kind ‖ the
 * rows in UTF-8 key byte order (u32 BE key length ‖ key ‖ u64 BE seq).
 */
function encodeKindRows(kind: string, rows: ReadonlyArray<readonly [key: string, seq: number]>, prefix: number): Buffer {
  let sorted = true;
  for (let i = 1; i < rows.length && sorted; i++) if (compareUtf8Order(rows[i - 1]![0], rows[i]![0]) > 0) sorted = false;
  const ordered = sorted ? rows : rows.slice().sort((a, b) => compareUtf8Order(a[0], b[0]));
  let length = prefix + 4 + Buffer.byteLength(kind, 'utf8');
  for (let i = 0; i < ordered.length; i++) length += 12 + Buffer.byteLength(ordered[i]![0], 'utf8');
  const out = Buffer.allocUnsafe(length);
  let at = writeLengthPrefixed(out, prefix, kind);
  for (let i = 0; i < ordered.length; i++) {
    const [key, seq] = ordered[i]!;
    at = writeLengthPrefixed(out, at, key);
    out.writeUInt32BE(Math.floor(seq / 4294967296), at);
    out.writeUInt32BE(seq >>> 0, at + 4);
    at += 8;
  }
  return out;
}

/**
 * The index ledger a run stores at seal: a copy of every index row, so that verify can name the
 * rows that vanished or changed. Per kind, in the order given: u32 BE length of the kind's part
 * ‖ the kind's digest input without the domain (see `computeIndexKindDigest`).
 */
export function encodeIndexLedger(kinds: ReadonlyArray<readonly [kind: string, rows: ReadonlyArray<readonly [key: string, seq: number]>]>): Buffer {
  const parts = kinds.map(([kind, rows]) => encodeKindRows(kind, rows, 4));
  for (const part of parts) part.writeUInt32BE(part.length - 4, 0);
  return Buffer.concat(parts);
}

/**
 * The rows of `kind` in a ledger (undefined when the ledger holds no part for it) with the digest
 * of that part, to compare with the committed one; a string saying what is wrong when the ledger
 * is malformed.
 */
export function readIndexLedgerKind(ledger: Uint8Array, kind: string): { rows: Array<[key: string, seq: number]>; digest: string } | undefined | string {
  const bytes = Buffer.from(ledger.buffer, ledger.byteOffset, ledger.byteLength);
  let at = 0;
  while (at < bytes.length) {
    if (at + 8 > bytes.length) return `truncated part header at byte ${at}`;
    const partLength = bytes.readUInt32BE(at);
    const end = at + 4 + partLength;
    if (end > bytes.length) return `part at byte ${at} runs past the end`;
    const kindLength = bytes.readUInt32BE(at + 4);
    if (at + 8 + kindLength > end) return `kind name at byte ${at} runs past its part`;
    if (bytes.toString('utf8', at + 8, at + 8 + kindLength) === kind) {
      const rows: Array<[string, number]> = [];
      let row = at + 8 + kindLength;
      while (row < end) {
        if (row + 4 > end) return `row at byte ${row} is truncated`;
        const keyLength = bytes.readUInt32BE(row);
        if (row + 12 + keyLength > end) return `row at byte ${row} runs past its part`;
        const seq = bytes.readUInt32BE(row + 4 + keyLength) * 4294967296 + bytes.readUInt32BE(row + 8 + keyLength);
        if (!Number.isSafeInteger(seq)) return `row at byte ${row} holds a seq beyond 2^53`;
        rows.push([bytes.toString('utf8', row + 4, row + 4 + keyLength), seq]);
        row += 12 + keyLength;
      }
      const input = Buffer.allocUnsafe(DOMAIN_BYTES.length + partLength);
      input.set(DOMAIN_BYTES, 0);
      bytes.copy(input, DOMAIN_BYTES.length, at + 4, end);
      return { rows, digest: toHex(blake3(input)) };
    }
    at = end;
  }
  return undefined;
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
