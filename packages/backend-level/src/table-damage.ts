/**
 * A reproducible damage for tests: makes a run's table files hold entry keys shorter than
 * LevelDB's 8-byte internal-key trailer, with every length still adding up. LevelDB does not
 * check block checksums on reads by default, and a point read or seek that compares such a key
 * fails a native assertion and aborts the whole process (SIGABRT), as a damaged sector can.
 * Listings stay readable: only entry-row blocks are touched, never the manifest's.
 */
import { mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { MANIFEST_COPY_FILE } from './paths.js';

const FOOTER_LENGTH = 48;
const UNCOMPRESSED_BLOCK = 0;
const ENTRY_PREFIX = 0x65;
/** The key length written over a restart entry's: shorter than the 8-byte trailer alone. */
const SHORT_KEY_LENGTH = 4;

function readVarint(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  let byte: number;
  do {
    byte = bytes[at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while ((byte & 0x80) !== 0);
  return { value, next: at };
}

/** Writes `value` as a varint of exactly `width` bytes (LevelDB accepts padded varints); false if it does not fit. */
function writeVarintOfWidth(bytes: Uint8Array, at: number, width: number, value: number): boolean {
  if (value >= 2 ** (7 * width)) return false;
  for (let index = 0; index < width; index++) {
    const last = index === width - 1;
    bytes[at + index] = (Math.floor(value / 2 ** (7 * index)) & 0x7f) | (last ? 0 : 0x80);
  }
  return true;
}

/** Block handles of a table's index block (which must be stored uncompressed). */
function dataBlockHandles(table: Buffer): Array<{ offset: number; size: number }> {
  const footer = table.subarray(table.length - FOOTER_LENGTH);
  const metaOffset = readVarint(footer, 0);
  const metaSize = readVarint(footer, metaOffset.next);
  const indexOffset = readVarint(footer, metaSize.next);
  const indexSize = readVarint(footer, indexOffset.next);
  if (table[indexOffset.value + indexSize.value] !== UNCOMPRESSED_BLOCK) throw new Error('the table index block is compressed');
  const index = table.subarray(indexOffset.value, indexOffset.value + indexSize.value);
  const restarts = index.readUInt32LE(index.length - 4);
  const entriesEnd = index.length - 4 - restarts * 4;
  const handles: Array<{ offset: number; size: number }> = [];
  for (let at = 0; at < entriesEnd; ) {
    const shared = readVarint(index, at);
    const unshared = readVarint(index, shared.next);
    const valueLength = readVarint(index, unshared.next);
    const valueStart = valueLength.next + unshared.value;
    const offset = readVarint(index, valueStart);
    const size = readVarint(index, offset.next);
    handles.push({ offset: offset.value, size: size.value });
    at = valueStart + valueLength.value;
  }
  return handles;
}

/** Shortens the key of the middle restart entry of one data block; true when it held an entry row. */
function damageBlock(block: Buffer): boolean {
  const restarts = block.readUInt32LE(block.length - 4);
  const at = block.readUInt32LE(block.length - 4 - restarts * 4 + Math.floor(restarts / 2) * 4);
  const shared = readVarint(block, at);
  const unshared = readVarint(block, shared.next);
  const valueLength = readVarint(block, unshared.next);
  if (shared.value !== 0 || block[valueLength.next] !== ENTRY_PREFIX || unshared.value <= SHORT_KEY_LENGTH) return false;
  const lengthened = valueLength.value + unshared.value - SHORT_KEY_LENGTH;
  // Key and value stay within the same bytes, so the rest of the block parses as before.
  if (!writeVarintOfWidth(block, unshared.next, valueLength.next - unshared.next, lengthened)) return false;
  return writeVarintOfWidth(block, shared.next, unshared.next - shared.next, SHORT_KEY_LENGTH);
}

/**
 * Rewrites the run's LevelDB with uncompressed tables: every row copied into a fresh database
 * opened without compression and flushed into a table, whose files then replace the run's own
 * (the manifest copy beside them stays). A compaction alone may move a compressed table as it is.
 */
async function rewriteUncompressed(location: string): Promise<void> {
  const fresh = await mkdtemp(`${location}.rewrite-`);
  const source = new ClassicLevel<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  const target = new ClassicLevel<Buffer, Buffer>(fresh, { keyEncoding: 'buffer', valueEncoding: 'buffer', compression: false });
  await source.open({ createIfMissing: false });
  await target.open({ createIfMissing: true });
  try {
    for await (const [key, value] of source.iterator()) await target.put(key, value);
    await target.compactRange(Buffer.from([0x00]), Buffer.from([0xff]));
  } finally {
    await source.close();
    await target.close();
  }
  for (const name of await readdir(location)) if (name !== MANIFEST_COPY_FILE) await rm(join(location, name), { recursive: true });
  for (const name of await readdir(fresh)) await rename(join(fresh, name), join(location, name));
  await rm(fresh, { recursive: true });
}

/**
 * Rewrites the run's tables uncompressed, then damages the key length of entry rows in every
 * data block that holds them. Returns how many blocks were damaged. The run must not be open.
 */
export async function damageEntryTableKeys(location: string): Promise<number> {
  await rewriteUncompressed(location);
  let damaged = 0;
  for (const name of (await readdir(location)).filter((file) => file.endsWith('.ldb'))) {
    const path = join(location, name);
    const table = await readFile(path);
    for (const { offset, size } of dataBlockHandles(table)) {
      if (table[offset + size] !== UNCOMPRESSED_BLOCK || size < 8) continue;
      if (damageBlock(table.subarray(offset, offset + size))) damaged++;
    }
    await writeFile(path, table);
  }
  return damaged;
}
